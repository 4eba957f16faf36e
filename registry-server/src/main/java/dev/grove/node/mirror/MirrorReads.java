package dev.grove.node.mirror;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;

/**
 * The reads {@link MirrorRoutes} serves of another origin's copy: a mirrored namespace's keyset with its history. The
 * log's checkpoint and tiles are {@link MirrorLog}'s; its packages are read like this node's own
 * ({@link dev.grove.node.packages.PackageRoutes}).
 */
final class MirrorReads {

    private static final String NAMESPACE = """
            SELECT keyset_sequence FROM namespaces WHERE origin = $1 AND name = $2""";
    private static final String HISTORY = """
            SELECT sequence, keys, envelope, created_at FROM keyset_changes WHERE origin = $1 AND namespace = $2
             ORDER BY sequence""";

    private final Pool pool;

    MirrorReads(Pool pool) {
        this.pool = pool;
    }

    /**
     * {@code {"origin", "namespace", "sequence", "keys", "history"}} of {@code origin}'s namespace as mirrored, or empty
     * when this node holds no such namespace.
     */
    Future<Optional<JsonObject>> namespace(String origin, String namespace) {
        return pool.preparedQuery(NAMESPACE).execute(Tuple.of(origin, namespace)).compose(ns -> {
            if (ns.size() == 0) {
                return Future.succeededFuture(Optional.<JsonObject>empty());
            }
            long sequence = ns.iterator().next().getLong("keyset_sequence");
            return pool.preparedQuery(HISTORY).execute(Tuple.of(origin, namespace)).map(rows -> {
                JsonArray history = new JsonArray();
                JsonArray current = new JsonArray();
                for (Row r : rows) {
                    String envelope = r.getString("envelope");
                    history.add(new JsonObject()
                            .put("sequence", r.getLong("sequence"))
                            .put("keys", r.getJsonArray("keys"))
                            .put("changedAt", r.getOffsetDateTime("created_at").toString())
                            .put("envelope", envelope == null ? null : new JsonObject(envelope)));
                    if (r.getLong("sequence") == sequence) {
                        current = r.getJsonArray("keys");
                    }
                }
                return Optional.of(new JsonObject().put("origin", origin).put("namespace", namespace)
                        .put("sequence", sequence).put("keys", current).put("history", history));
            });
        });
    }
}
