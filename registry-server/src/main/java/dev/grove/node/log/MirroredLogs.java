package dev.grove.node.log;

import io.vertx.core.Future;
import java.util.Optional;

/**
 * The logs of other nodes that this node mirrors and serves, by log origin: what a mirrored version document needs to
 * prove its entry in the origin's log.
 */
public interface MirroredLogs {

    /**
     * The latest checkpoint of {@code origin}'s log this node serves (as signed by the origin) and the inclusion proof of
     * entry {@code index} in it; empty when this node serves no log of that origin or the entry is not in that checkpoint.
     */
    Future<Optional<LogReader.Included>> included(String origin, long index);

    /** A node that serves no other node's log. */
    static MirroredLogs none() {
        return (origin, index) -> Future.succeededFuture(Optional.empty());
    }
}
