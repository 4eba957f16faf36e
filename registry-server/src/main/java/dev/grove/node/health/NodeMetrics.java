package dev.grove.node.health;

import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.metrics.MetricsProvider;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.impl.MicrometerMetrics;
import java.util.EnumSet;
import java.util.Objects;
import java.util.UUID;

/**
 * Prometheus metrics: a {@link Vertx} and the registry it records into. Vert.x records metrics only when it is created
 * with them, so a node's {@link Vertx} comes from {@link #create()} (or {@link #createVertx()}): HTTP server requests
 * labelled by route template, method and status code (never the raw path: the series stay bounded), pools, and
 * JVM/process metrics. The node carries {@link #registry()} in its services and hands it to {@code /metrics} and to the
 * features that count something; nothing looks it up by its {@code Vertx} afterwards.
 */
public record NodeMetrics(Vertx vertx, PrometheusMeterRegistry registry) {

    public NodeMetrics {
        Objects.requireNonNull(vertx, "vertx");
        Objects.requireNonNull(registry, "registry");
    }

    /** A Vertx with default options that records metrics into its own Prometheus registry. */
    public static NodeMetrics create() {
        return create(new VertxOptions());
    }

    /** A Vertx with these options that records metrics into its own Prometheus registry. */
    public static NodeMetrics create(VertxOptions options) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
                .setEnabled(true)
                .setRegistryName("grove-" + UUID.randomUUID())
                .setJvmMetricsEnabled(true)
                .setLabels(EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE, Label.POOL_TYPE, Label.POOL_NAME))
                .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)
                .addDisabledMetricsCategory(MetricsDomain.HTTP_CLIENT)
                .addDisabledMetricsCategory(MetricsDomain.NET_CLIENT);
        Vertx vertx = Vertx.builder()
                .with(new VertxOptions(options).setMetricsOptions(metrics))
                .withMetrics(new MicrometerMetricsFactory(registry))
                .build();
        return new NodeMetrics(vertx, registry);
    }

    /** {@code create().vertx()}: for code that hands the node only its Vertx (see {@link #of}). */
    public static Vertx createVertx() {
        return create().vertx();
    }

    /** {@code create(options).vertx()}. */
    public static Vertx createVertx(VertxOptions options) {
        return create(options).vertx();
    }

    /**
     * The metrics of a Vertx the node was handed without its registry ({@code Node.start(vertx, ...)}, the form tests
     * and embedders use). This is the one lookup, made once when a node starts: Vert.x's Micrometer integration keeps the
     * registry inside the Vertx's metrics SPI and offers no public accessor, so it is read from there. A Vertx made
     * without Micrometer metrics (a test's {@code Vertx.vertx()}) gets a new registry with JVM and process metrics only.
     */
    public static NodeMetrics of(Vertx vertx) {
        if (vertx instanceof MetricsProvider provider && provider.getMetrics() instanceof MicrometerMetrics micrometer
                && micrometer.registry() instanceof PrometheusMeterRegistry registry) {
            return new NodeMetrics(vertx, registry);
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return new NodeMetrics(vertx, registry);
    }
}
