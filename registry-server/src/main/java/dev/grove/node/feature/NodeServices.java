package dev.grove.node.feature;

import dev.grove.node.blob.BlobStore;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What a node has built by the time its features are created: the handed-in {@code vertx}, the migrated database pool,
 * the blob store, the URL clients reach the node at (with the actual port, even when port 0 was asked for), its data
 * directory and the Prometheus registry its {@code vertx} records into ({@code meters}: what a feature counts goes there,
 * and {@code /metrics} serves it), and how the pool reaches the database ({@code database}: for a feature that needs a
 * connection of its own, such as one that listens for notifications). A feature's own settings are handed to its factory by {@code Features}, not read from here, so that no
 * feature depends on the node's whole configuration.
 */
public record NodeServices(Vertx vertx, Pool pool, BlobStore blobs, String publicUrl, Path dataDir,
                           PrometheusMeterRegistry meters, PgConnectOptions database) {

    public NodeServices {
        Objects.requireNonNull(vertx, "vertx");
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(blobs, "blobs");
        Objects.requireNonNull(publicUrl, "publicUrl");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(meters, "meters");
        Objects.requireNonNull(database, "database");
    }
}
