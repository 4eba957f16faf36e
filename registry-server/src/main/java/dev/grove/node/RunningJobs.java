package dev.grove.node;

import dev.grove.node.feature.NodeJob;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/** The jobs of one node, each deployed once: started in the order listed, stopped in the reverse order. */
final class RunningJobs {

    private final Vertx vertx;
    /** The deployment ids, in start order. */
    private final List<String> deployments;

    private RunningJobs(Vertx vertx, List<String> deployments) {
        this.vertx = vertx;
        this.deployments = List.copyOf(deployments);
    }

    /**
     * Deploys the jobs one after the other. When one does not start, those already started are stopped again and the
     * failure names the job.
     */
    static Future<RunningJobs> start(Vertx vertx, List<NodeJob> jobs) {
        List<String> started = new ArrayList<>();
        Future<Void> chain = Future.succeededFuture();
        for (NodeJob job : jobs) {
            chain = chain.compose(v -> vertx.deployVerticle(job.verticle())
                    .recover(e -> Future.failedFuture(new IllegalStateException(
                            "cannot start " + job.name() + ": " + e.getMessage(), e)))
                    .map(id -> {
                        started.add(id);
                        return null;
                    }));
        }
        return chain.map(v -> new RunningJobs(vertx, started))
                .recover(e -> new RunningJobs(vertx, started).stop().transform(ignored -> Future.failedFuture(e)));
    }

    /** Undeploys every job, the last started first; completes when all stopped (or failed to). */
    Future<Void> stop() {
        Future<Void> chain = Future.succeededFuture();
        for (int i = deployments.size() - 1; i >= 0; i--) {
            String id = deployments.get(i);
            chain = chain.transform(ignored -> vertx.undeploy(id));
        }
        return chain;
    }
}
