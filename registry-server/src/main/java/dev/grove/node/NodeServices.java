package dev.grove.node;

import dev.grove.node.blob.BlobStore;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.Objects;

/**
 * What a node has built by the time its features are created: the handed-in {@code vertx}, the configuration (with the
 * actual port, so {@code config.publicUrl()} is right even when port 0 was asked for), the migrated database pool and the
 * blob store.
 */
public record NodeServices(Vertx vertx, NodeConfig config, Pool pool, BlobStore blobs) {

    public NodeServices {
        Objects.requireNonNull(vertx, "vertx");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(blobs, "blobs");
    }
}
