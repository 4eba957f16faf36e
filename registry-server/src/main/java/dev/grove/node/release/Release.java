package dev.grove.node.release;

import dev.grove.node.feature.Feature;
import dev.grove.node.feature.NodeJob;
import dev.grove.node.feature.NodeServices;
import dev.grove.node.feature.RouteModule;
import dev.grove.node.log.NodeLog;

/**
 * Evidence-based release on one node (docs/protocol.md, "Release"), assembled from its services: the evaluator, which
 * signs decisions with the node's log key and appends them to its log, and the routes. As a feature
 * ({@link #feature()}) the evaluator is the node's job, run once per node.
 *
 * <pre>{@code
 * Release release = Release.open(services, log, config.release(), config.reports().minimumReports());
 * features.add(release.feature());
 * }</pre>
 */
public final class Release {

    private final ReleaseEvaluator evaluator;
    private final RouteModule routes;

    private Release(NodeServices services, ReleaseEvaluator evaluator) {
        this.evaluator = evaluator;
        this.routes = new ReleaseRoutes(services.pool(), evaluator);
    }

    /**
     * Release with the node's {@code policy} and its minimum for reports (the same one {@code GET /v1/reports/{digest}}
     * holds to), deciding in {@code log}.
     */
    public static Release open(NodeServices services, NodeLog log, ReleasePolicy policy, int minimumReports) {
        return new Release(services, new ReleaseEvaluator(services.pool(), services.blobs(), log.key(), log.appender(),
                policy, minimumReports,
                services.meters()));
    }

    public ReleaseEvaluator evaluator() {
        return evaluator;
    }

    public RouteModule routes() {
        return routes;
    }

    /** Release as a feature of its node: the routes, and the evaluator as its job. */
    public Feature feature() {
        return Feature.of(routes, new NodeJob("the release evaluator", evaluator));
    }
}
