package dev.grove.node.release;

import dev.grove.node.NodeServices;
import dev.grove.node.RouteModule;
import dev.grove.node.health.NodeMetrics;
import dev.grove.node.log.NodeLog;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evidence-based release on one node (docs/protocol.md, "Release"), assembled from its services: the evaluator, which
 * signs decisions with the node's log key and appends them to its log, and the routes. Mounting the routes (in a
 * registry verticle's start, after the schema was migrated) deploys the evaluator once, as a child of that verticle.
 *
 * <pre>{@code
 * Release release = Release.open(services, log);
 * modules.add(release.routes());
 * }</pre>
 */
public final class Release {

    private static final Logger LOG = LoggerFactory.getLogger(Release.class);

    private final NodeServices services;
    private final ReleaseEvaluator evaluator;
    private final RouteModule routes;
    private final AtomicBoolean started = new AtomicBoolean();

    private Release(NodeServices services, ReleaseEvaluator evaluator) {
        this.services = services;
        this.evaluator = evaluator;
        this.routes = new ReleaseRoutes(this, services.pool(), evaluator);
    }

    /**
     * Release with the node's policy ({@code NodeConfig.release()}) and its minimum for reports
     * ({@code NodeConfig.reports()}, the same one {@code GET /v1/reports/{digest}} holds to), deciding in {@code log}.
     */
    public static Release open(NodeServices services, NodeLog log) {
        return new Release(services, new ReleaseEvaluator(services.pool(), services.blobs(), log.key(), log.appender(),
                services.config().release(), services.config().reports().minimumReports(),
                NodeMetrics.registryOf(services.vertx())));
    }

    public ReleaseEvaluator evaluator() {
        return evaluator;
    }

    public RouteModule routes() {
        return routes;
    }

    /** Deploys the evaluator, the first time only. */
    void startEvaluating() {
        if (started.compareAndSet(false, true)) {
            services.vertx().deployVerticle(evaluator).onFailure(e -> LOG.error("cannot start the release evaluator", e));
        }
    }
}
