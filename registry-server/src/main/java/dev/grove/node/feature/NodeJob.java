package dev.grove.node.feature;

import io.vertx.core.Deployable;
import java.util.Objects;

/**
 * Background work a feature runs while the node is up (the log integrator, the release evaluator, the mirror's
 * followers, the witness poll): a verticle that {@link dev.grove.node.Node#start} deploys once per node, after the schema is migrated
 * and before the node listens, and that {@link dev.grove.node.Node#stop} undeploys after the node stopped listening. Its timers and
 * clients belong to its own context, so undeploying it ends them.
 *
 * @param name     what the job does, for the node's log ("the log integrator")
 * @param verticle the job itself; deployed once, so one instance per node
 */
public record NodeJob(String name, Deployable verticle) {

    public NodeJob {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(verticle, "verticle");
    }
}
