package dev.grove.node.feature;

import java.util.List;
import java.util.Objects;

/**
 * What one feature adds to a node: its routes, which every HTTP verticle mounts, and its jobs, which the node runs
 * once (see {@link NodeJob}). {@link dev.grove.node.Features#all} lists the node's features.
 *
 * <pre>{@code
 * Feature.of(new SearchRoutes(pool, origin))                       // routes only
 * Feature.of(log.routes(), new NodeJob("the log integrator", log.integrator()))
 * }</pre>
 */
public record Feature(RouteModule routes, List<NodeJob> jobs) {

    public Feature {
        Objects.requireNonNull(routes, "routes");
        jobs = List.copyOf(jobs);
    }

    public static Feature of(RouteModule routes, NodeJob... jobs) {
        return new Feature(routes, List.of(jobs));
    }
}
