package dev.grove.node.mirror;

import dev.grove.pkg.PackageName;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;

/**
 * The reads {@link MirrorRoutes} serves of another origin's copy: which version of a mirrored package a request names,
 * and a mirrored namespace's keyset with its history. The log's checkpoint and tiles are {@link MirrorLog}'s.
 */
final class MirrorReads {

    private static final String BY_VERSION = """
            SELECT digest FROM package_versions WHERE origin = $1 AND namespace = $2 AND name = $3 AND version = $4""";
    private static final String LATEST = """
            SELECT digest FROM package_versions WHERE origin = $1 AND namespace = $2 AND name = $3 AND NOT yanked
               AND NOT prerelease ORDER BY status = 'promoted' DESC, major DESC, minor DESC, patch DESC LIMIT 1""";
    private static final String NAMESPACE = """
            SELECT keyset_sequence FROM namespaces WHERE origin = $1 AND name = $2""";
    private static final String HISTORY = """
            SELECT sequence, keys, envelope, created_at FROM keyset_changes WHERE origin = $1 AND namespace = $2
             ORDER BY sequence""";

    private final Pool pool;

    MirrorReads(Pool pool) {
        this.pool = pool;
    }

    /** The digest of {@code origin}'s {@code name@version} as this node holds it, or empty when it holds none. */
    Future<Optional<String>> digest(String origin, PackageName name, String version) {
        return pool.preparedQuery(BY_VERSION).execute(Tuple.of(origin, name.namespace(), name.name(), version))
                .map(MirrorReads::firstDigest);
    }

    /**
     * The digest of {@code origin}'s latest version of {@code name} this node holds (not yanked, not a prerelease,
     * promoted first, then the highest), or empty when it holds none.
     */
    Future<Optional<String>> latest(String origin, PackageName name) {
        return pool.preparedQuery(LATEST).execute(Tuple.of(origin, name.namespace(), name.name()))
                .map(MirrorReads::firstDigest);
    }

    private static Optional<String> firstDigest(Iterable<Row> rows) {
        var it = rows.iterator();
        return it.hasNext() ? Optional.of(it.next().getString("digest")) : Optional.empty();
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
