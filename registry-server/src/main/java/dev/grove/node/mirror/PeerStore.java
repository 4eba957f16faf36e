package dev.grove.node.mirror;

import dev.grove.checkpoint.CheckpointException;
import dev.grove.federation.CheckpointFollower;
import dev.grove.federation.Evidence;
import dev.grove.federation.Fault;
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
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The {@code mirrored_logs}, {@code peers} and {@code peer_evidence} tables: what this node knows of each followed log
 * (its pinned key, standing, verified checkpoint and progress, one row per origin), of each source it reads a log from
 * (one row per URL: its log, its current fault, its last contact), and what it caught.
 */
final class PeerStore {

    private static final String ENSURE = """
            INSERT INTO peers (url, position) VALUES ($1, $2) ON CONFLICT (url) DO UPDATE SET position = $2""";

    /** The source with its log's state (none while the source's log is not pinned yet). */
    private static final String SELECT = """
            SELECT s.url, s.origin, l.log_key, l.status, l.reason, l.checkpoint_size, l.checkpoint_note, l.next_entry
              FROM peers s LEFT JOIN mirrored_logs l ON l.origin = s.origin WHERE s.url = $1""";

    /** Every source with its log's state and the latest checkpoint of that log this node cosigned as a witness. */
    private static final String SELECT_ALL = """
            SELECT s.url, s.origin, l.log_key, coalesce(l.status, 'trusted') AS status, l.reason, l.checkpoint_size,
                   l.checkpoint_root, l.checkpoint_note, coalesce(l.next_entry, 0) AS next_entry, l.checked_at,
                   l.updated_at, s.contacted_at, l.grown_at, s.fault_kind, s.fault_reason, s.fault_since,
                   s.fault_attempts, s.next_retry, l.log_size, s.seen_size, s.seen_at,
                   w.size AS witnessed_size, w.updated_at AS witnessed_at,
                   (SELECT count(*) FROM peers o WHERE o.origin = s.origin AND o.contacted_at IS NOT NULL)
                       AS contacted_sources
              FROM peers s LEFT JOIN mirrored_logs l ON l.origin = s.origin
              LEFT JOIN witness_state w ON w.origin = s.origin
             WHERE $1::text IS NULL OR s.url = $1
             ORDER BY s.origin NULLS LAST, s.position, s.url""";

    private static final String PIN_LOG = """
            INSERT INTO mirrored_logs (origin, log_key) VALUES ($1, $2) ON CONFLICT (origin) DO NOTHING""";
    private static final String PINNED_KEY = "SELECT log_key FROM mirrored_logs WHERE origin = $1";
    private static final String PIN_SOURCE = """
            UPDATE peers SET origin = $2 WHERE url = $1 AND (origin IS NULL OR origin = $2)""";

    private static final String SAVE_CHECKPOINT = """
            UPDATE mirrored_logs SET checkpoint_size = $2, checkpoint_root = $3, checkpoint_note = $4, checked_at = now(),
                   grown_at = now(), updated_at = now()
             WHERE origin = $1 AND status = 'trusted' AND coalesce(checkpoint_size, -1) = $5""";

    private static final String CHECKED = "UPDATE mirrored_logs SET checked_at = now() WHERE origin = $1";

    /** The size of a checkpoint the source served that verified. */
    private static final String SEEN = "UPDATE peers SET seen_size = $2, seen_at = now() WHERE url = $1";

    /** A round that read and verified everything it asked for: the source's fault, if any, is over. */
    private static final String SUCCEEDED = """
            UPDATE peers SET contacted_at = now(), fault_kind = NULL, fault_reason = NULL, fault_since = NULL,
                   fault_attempts = 0, next_retry = NULL
             WHERE url = $1""";

    /** One more failed round; {@code fault_since} moves only when the kind of fault changes. */
    private static final String FAULT = """
            UPDATE peers SET fault_since = CASE WHEN fault_kind IS DISTINCT FROM $2 THEN now() ELSE fault_since END,
                   fault_kind = $2, fault_reason = $3, fault_attempts = fault_attempts + 1,
                   next_retry = now() + $4 * interval '1 millisecond'
             WHERE url = $1""";

    private static final String QUARANTINE = """
            UPDATE mirrored_logs SET status = 'quarantined', reason = $2, updated_at = now() WHERE origin = $1""";
    private static final String CLEAR_FAULT = """
            UPDATE peers SET fault_kind = NULL, fault_reason = NULL, fault_since = NULL, fault_attempts = 0,
                   next_retry = NULL
             WHERE url = $1""";

    private static final String INSERT_EVIDENCE = """
            INSERT INTO peer_evidence (peer_url, origin, kind, detail, statements, document)
            VALUES ($1, $2, $3, $4, $5, $6)""";

    private static final String SELECT_EVIDENCE = """
            SELECT id, peer_url, origin, kind, detail, statements, document, created_at FROM peer_evidence
             WHERE ($1::text IS NULL OR peer_url = $1) ORDER BY id""";

    private static final String ORIGINS = "SELECT url, origin FROM peers WHERE url = ANY($1) AND origin IS NOT NULL";

    private final Pool pool;

    PeerStore(Pool pool) {
        this.pool = pool;
    }

    /** Adds the source when it is not known yet, at {@code position} in its log's list of sources. */
    Future<Void> ensure(String url, int position) {
        return pool.preparedQuery(ENSURE).execute(Tuple.of(url, position)).mapEmpty();
    }

    /** The origins of these sources, as pinned before (sources never contacted are left out). */
    Future<java.util.Map<String, String>> origins(List<String> urls) {
        return pool.preparedQuery(ORIGINS).execute(Tuple.of(urls.toArray(String[]::new))).map(rows -> {
            java.util.Map<String, String> out = new java.util.HashMap<>();
            rows.forEach(r -> out.put(r.getString("url"), r.getString("origin")));
            return out;
        });
    }

    /** The source with its log's state; the log's fields are empty while the source's log is not pinned. */
    Future<PeerState> load(String url) {
        return pool.preparedQuery(SELECT).execute(Tuple.of(url)).map(rows -> {
            if (rows.size() == 0) {
                throw new IllegalStateException("peer " + url + " is not in the peers table");
            }
            return state(rows.iterator().next());
        });
    }

    /**
     * Pins the log {@code origin} with {@code logKey} (trust on first use, or the configured key) unless a key is pinned
     * for it already, and ties the source to it; false when another key was pinned for that log, or the source serves
     * another log.
     */
    Future<Boolean> pin(String url, String logKey, String origin) {
        return pool.withTransaction(tx -> tx.preparedQuery(PIN_LOG).execute(Tuple.of(origin, logKey))
                .compose(v -> tx.preparedQuery(PINNED_KEY).execute(Tuple.of(origin)))
                .compose(rows -> !rows.iterator().next().getString("log_key").equals(logKey)
                        ? Future.succeededFuture(false)
                        : tx.preparedQuery(PIN_SOURCE).execute(Tuple.of(url, origin)).map(r -> r.rowCount() == 1)));
    }

    /**
     * Records a newly verified checkpoint of the log, only if the stored one is still the one it was checked against
     * ({@code previousSize}, -1 for none) and the log is still trusted.
     */
    Future<Boolean> saveCheckpoint(String origin, VerifiedCheckpoint cp, long previousSize) {
        return pool.preparedQuery(SAVE_CHECKPOINT).execute(Tuple.of(origin, cp.size(), Buffer.buffer(cp.rootHash()),
                cp.note(), previousSize)).map(rows -> rows.rowCount() == 1);
    }

    Future<Void> checked(String origin) {
        return pool.preparedQuery(CHECKED).execute(Tuple.of(origin)).mapEmpty();
    }

    /** The source served a checkpoint of this size that verified. */
    Future<Void> seen(String url, long size) {
        return pool.preparedQuery(SEEN).execute(Tuple.of(url, size)).mapEmpty();
    }

    /** A round that read and verified everything: clears the source's fault and records the contact. */
    Future<Void> succeeded(String url) {
        return pool.preparedQuery(SUCCEEDED).execute(Tuple.of(url)).mapEmpty();
    }

    /** A failed round: the source's fault, shown on it, and when the next round runs. */
    Future<Void> fault(String url, Fault fault, Duration retryIn) {
        return pool.preparedQuery(FAULT).execute(Tuple.of(url, fault.kind().wireName(), fault.reason(),
                retryIn.toMillis())).mapEmpty();
    }

    /**
     * Quarantines the log and stores the evidence (in its self-verifying form, with the source it was read from), in one
     * transaction.
     */
    Future<Void> quarantine(String url, String origin, Evidence evidence) {
        String reason = evidence.kind().wireName() + ": " + evidence.detail();
        JsonArray statements = new JsonArray(new ArrayList<>(evidence.checkpoints()));
        JsonObject document = new JsonObject(evidence.toJsonString());
        return pool.withTransaction(tx -> tx.preparedQuery(INSERT_EVIDENCE)
                .execute(Tuple.of(url, origin, evidence.kind().wireName(), evidence.detail(), statements, document))
                .compose(v -> tx.preparedQuery(QUARANTINE).execute(Tuple.of(origin, reason)))
                .compose(v -> tx.preparedQuery(CLEAR_FAULT).execute(Tuple.of(url))))
                .mapEmpty();
    }

    /** Every source, as {@code GET /v1/peers} shows it. */
    Future<JsonArray> list(SqlClient client) {
        return select(client, Optional.empty());
    }

    /** One source, as {@code GET /v1/peers} shows it. */
    Future<Optional<JsonObject>> describe(String url) {
        return select(pool, Optional.of(url)).map(a -> a.isEmpty() ? Optional.<JsonObject>empty()
                : Optional.of(a.getJsonObject(0)));
    }

    private Future<JsonArray> select(SqlClient client, Optional<String> url) {
        return client.preparedQuery(SELECT_ALL).execute(Tuple.of(url.orElse(null))).map(rows -> {
            JsonArray peers = new JsonArray();
            OffsetDateTime now = OffsetDateTime.now();
            for (Row r : rows) {
                peers.add(PeerStatus.describe(r, now));
            }
            return peers;
        });
    }

    /**
     * Stored evidence, oldest first, of one peer or (url empty) of all: the {@value Evidence#FORMAT} document with the
     * node's {@code id}, {@code peer} and {@code createdAt}, or for evidence stored before that form its statements.
     */
    Future<JsonArray> evidence(Optional<String> url) {
        return pool.preparedQuery(SELECT_EVIDENCE).execute(Tuple.of(url.orElse(null))).map(rows -> {
            JsonArray out = new JsonArray();
            for (Row r : rows) {
                Object document = r.getValue("document");
                JsonObject e = new JsonObject().put("id", r.getLong("id")).put("peer", r.getString("peer_url"));
                if (document instanceof JsonObject doc) {
                    e.mergeIn(doc);
                } else {
                    e.put("origin", r.getString("origin"))
                            .put("kind", r.getString("kind"))
                            .put("detail", r.getString("detail"))
                            .put("statements", (JsonArray) r.getValue("statements"));
                }
                out.add(e.put("createdAt", r.getOffsetDateTime("created_at").toString()));
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
                throw new IllegalStateException("stored checkpoint of " + r.getString("origin") + " does not parse", e);
            }
        }
        // a source whose log is not pinned yet: no key, trusted, nothing verified
        String key = r.getString("log_key");
        return new PeerState(r.getString("url"), Optional.ofNullable(key == null ? null : r.getString("origin")),
                Optional.ofNullable(key), PeerState.Status.fromWireName(key == null ? "trusted" : r.getString("status")),
                Optional.ofNullable(r.getString("reason")), cp, key == null ? 0 : r.getLong("next_entry"));
    }

    static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    static List<String> strings(JsonArray a) {
        List<String> out = new ArrayList<>();
        a.forEach(v -> out.add(String.valueOf(v)));
        return out;
    }
}
