package dev.grove.node.mirror;

import dev.grove.checkpoint.CheckpointException;
import dev.grove.federation.CheckpointFollower;
import dev.grove.federation.Evidence;
import dev.grove.federation.PeerState;
import dev.grove.federation.VerifiedCheckpoint;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code peers} and {@code peer_evidence} tables: what this node knows of each peer and what it caught. */
final class PeerStore {

    private static final String ENSURE = """
            INSERT INTO peers (url, log_key) VALUES ($1, $2) ON CONFLICT (url) DO NOTHING""";

    private static final String SELECT = """
            SELECT url, origin, log_key, status, reason, checkpoint_size, checkpoint_note, next_entry, checked_at
              FROM peers WHERE url = $1""";

    private static final String SELECT_ALL = """
            SELECT url, origin, log_key, status, reason, checkpoint_size, checkpoint_root, checkpoint_note, next_entry,
                   checked_at, updated_at
              FROM peers ORDER BY url""";

    private static final String PIN = """
            UPDATE peers SET log_key = $2, origin = $3, updated_at = now()
             WHERE url = $1 AND (log_key IS NULL OR log_key = $2) AND (origin IS NULL OR origin = $3)""";

    private static final String SAVE_CHECKPOINT = """
            UPDATE peers SET checkpoint_size = $2, checkpoint_root = $3, checkpoint_note = $4, checked_at = now(),
                   updated_at = now()
             WHERE url = $1 AND status = 'trusted' AND coalesce(checkpoint_size, -1) = $5""";

    private static final String CHECKED = "UPDATE peers SET checked_at = now() WHERE url = $1";

    private static final String QUARANTINE = """
            UPDATE peers SET status = 'quarantined', reason = $2, updated_at = now() WHERE url = $1""";

    private static final String INSERT_EVIDENCE = """
            INSERT INTO peer_evidence (peer_url, origin, kind, detail, statements) VALUES ($1, $2, $3, $4, $5)""";

    private static final String SELECT_EVIDENCE = """
            SELECT id, peer_url, origin, kind, detail, statements, created_at FROM peer_evidence
             WHERE ($1::text IS NULL OR peer_url = $1) ORDER BY id""";

    private final Pool pool;

    PeerStore(Pool pool) {
        this.pool = pool;
    }

    /** Adds the peer when it is not known yet (with its configured key, if any). */
    Future<Void> ensure(String url, Optional<String> configuredKey) {
        return pool.preparedQuery(ENSURE).execute(Tuple.of(url, configuredKey.orElse(null))).mapEmpty();
    }

    Future<PeerState> load(String url) {
        return pool.preparedQuery(SELECT).execute(Tuple.of(url)).map(rows -> {
            if (rows.size() == 0) {
                throw new IllegalStateException("peer " + url + " is not in the peers table");
            }
            return state(rows.iterator().next());
        });
    }

    /** Pins the peer's key and origin (trust on first use); false when another key was pinned first. */
    Future<Boolean> pin(String url, String logKey, String origin) {
        return pool.preparedQuery(PIN).execute(Tuple.of(url, logKey, origin)).map(rows -> rows.rowCount() == 1);
    }

    /**
     * Records a newly verified checkpoint, only if the stored one is still the one it was checked against
     * ({@code previousSize}, -1 for none) and the peer is still trusted.
     */
    Future<Boolean> saveCheckpoint(String url, VerifiedCheckpoint cp, long previousSize) {
        return pool.preparedQuery(SAVE_CHECKPOINT).execute(Tuple.of(url, cp.size(), Buffer.buffer(cp.rootHash()),
                cp.note(), previousSize)).map(rows -> rows.rowCount() == 1);
    }

    Future<Void> checked(String url) {
        return pool.preparedQuery(CHECKED).execute(Tuple.of(url)).mapEmpty();
    }

    /** Quarantines the peer and stores the evidence, in one transaction. */
    Future<Void> quarantine(String url, Optional<String> origin, Evidence evidence) {
        JsonArray statements = new JsonArray(new ArrayList<>(evidence.statements()));
        String reason = evidence.kind().wireName() + ": " + evidence.detail();
        return pool.withTransaction(tx -> tx.preparedQuery(INSERT_EVIDENCE)
                .execute(Tuple.of(url, origin.orElse(null), evidence.kind().wireName(), evidence.detail(), statements))
                .compose(v -> tx.preparedQuery(QUARANTINE).execute(Tuple.of(url, reason))))
                .mapEmpty();
    }

    /** Every peer, as {@code GET /v1/peers} shows it. */
    Future<JsonArray> list(SqlClient client) {
        return client.preparedQuery(SELECT_ALL).execute().map(rows -> {
            JsonArray peers = new JsonArray();
            for (Row r : rows) {
                Long size = r.getLong("checkpoint_size");
                long next = r.getLong("next_entry");
                OffsetDateTime checked = r.getOffsetDateTime("checked_at");
                JsonObject checkpoint = null;
                if (size != null) {
                    checkpoint = new JsonObject()
                            .put("size", size)
                            .put("root", java.util.Base64.getEncoder().encodeToString(r.getBuffer("checkpoint_root").getBytes()))
                            .put("note", r.getString("checkpoint_note"));
                }
                peers.add(new JsonObject()
                        .put("url", r.getString("url"))
                        .put("origin", r.getString("origin"))
                        .put("logKey", r.getString("log_key"))
                        .put("status", r.getString("status"))
                        .put("reason", r.getString("reason"))
                        .put("treeSize", size)
                        .put("nextEntry", next)
                        .put("checkpoint", checkpoint)
                        .put("lagEntries", size == null ? null : size - next)
                        .put("lagSeconds", checked == null ? null
                                : Math.max(0, java.time.Duration.between(checked, OffsetDateTime.now()).toMillis()) / 1000.0)
                        .put("checkedAt", checked == null ? null : checked.toString()));
            }
            return peers;
        });
    }

    /** Stored evidence, oldest first, of one peer or (url empty) of all. */
    Future<JsonArray> evidence(Optional<String> url) {
        return pool.preparedQuery(SELECT_EVIDENCE).execute(Tuple.of(url.orElse(null))).map(rows -> {
            JsonArray out = new JsonArray();
            for (Row r : rows) {
                out.add(new JsonObject()
                        .put("id", r.getLong("id"))
                        .put("peer", r.getString("peer_url"))
                        .put("origin", r.getString("origin"))
                        .put("kind", r.getString("kind"))
                        .put("detail", r.getString("detail"))
                        .put("statements", (JsonArray) r.getValue("statements"))
                        .put("createdAt", r.getOffsetDateTime("created_at").toString()));
            }
            return out;
        });
    }

    private static PeerState state(Row r) {
        Optional<VerifiedCheckpoint> cp = Optional.empty();
        String note = r.getString("checkpoint_note");
        if (note != null) {
            try {
                cp = Optional.of(new VerifiedCheckpoint(note, CheckpointFollower.parseUnverified(note)));
            } catch (CheckpointException e) {
                throw new IllegalStateException("stored checkpoint of " + r.getString("url") + " does not parse", e);
            }
        }
        return new PeerState(r.getString("url"), Optional.ofNullable(r.getString("origin")),
                Optional.ofNullable(r.getString("log_key")), PeerState.Status.fromWireName(r.getString("status")),
                Optional.ofNullable(r.getString("reason")), cp, r.getLong("next_entry"));
    }

    static List<String> strings(JsonArray a) {
        List<String> out = new ArrayList<>();
        a.forEach(v -> out.add(String.valueOf(v)));
        return out;
    }
}
