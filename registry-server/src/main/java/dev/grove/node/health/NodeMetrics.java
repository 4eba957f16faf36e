package dev.grove.node.health;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.UUID;
import java.util.WeakHashMap;

/**
 * Prometheus metrics. Vert.x records metrics only when it is created with them, so a node's {@link Vertx} comes from
 * {@link #createVertx()}: HTTP server requests labelled by route template, method and status code (never the raw path: the
 * series stay bounded), pools, and JVM/process metrics. {@link #registryOf(Vertx)} finds the registry again for
 * {@code /metrics}; a Vertx made elsewhere (a test's) gets a registry with JVM metrics only.
 */
public final class NodeMetrics {

    private static final Map<Vertx, PrometheusMeterRegistry> REGISTRIES = Collections.synchronizedMap(new WeakHashMap<>());

    private NodeMetrics() {
    }

    /** A Vertx with default options that records metrics into its own Prometheus registry. */
    public static Vertx createVertx() {
        return createVertx(new VertxOptions());
    }

    /** A Vertx with these options that records metrics into its own Prometheus registry. */
    public static Vertx createVertx(VertxOptions options) {
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
        REGISTRIES.put(vertx, registry);
        return vertx;
    }

    /** The registry {@link #createVertx} made for this Vertx, or a new one with JVM metrics only. */
    public static PrometheusMeterRegistry registryOf(Vertx vertx) {
        return REGISTRIES.computeIfAbsent(vertx, v -> {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
            new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
            new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(registry);
            new io.micrometer.core.instrument.binder.system.UptimeMetrics().bindTo(registry);
            return registry;
        });
    }
}
