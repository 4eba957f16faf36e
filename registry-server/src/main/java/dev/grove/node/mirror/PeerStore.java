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

/** The {@code peers} and {@code peer_evidence} tables: what this node knows of each peer and what it caught. */
final class PeerStore {

    private static final String ENSURE = """
            INSERT INTO peers (url, log_key) VALUES ($1, $2) ON CONFLICT (url) DO NOTHING""";

    private static final String SELECT = """
            SELECT url, origin, log_key, status, reason, checkpoint_size, checkpoint_note, next_entry, checked_at
              FROM peers WHERE url = $1""";

    /** Every peer with the latest checkpoint of its log this node cosigned as a witness, if any. */
    private static final String SELECT_ALL = """
            SELECT p.url, p.origin, p.log_key, p.status, p.reason, p.checkpoint_size, p.checkpoint_root,
                   p.checkpoint_note, p.next_entry, p.checked_at, p.updated_at, p.contacted_at, p.grown_at,
                   p.fault_kind, p.fault_reason, p.fault_since, p.fault_attempts, p.next_retry, p.log_size,
                   w.size AS witnessed_size, w.updated_at AS witnessed_at
              FROM peers p LEFT JOIN witness_state w ON w.origin = p.origin
             WHERE $1::text IS NULL OR p.url = $1
             ORDER BY p.url""";

    private static final String PIN = """
            UPDATE peers SET log_key = $2, origin = $3, updated_at = now()
             WHERE url = $1 AND (log_key IS NULL OR log_key = $2) AND (origin IS NULL OR origin = $3)""";

    private static final String FOLLOWED_THROUGH = "SELECT url FROM peers WHERE origin = $1 AND url <> $2";

    private static final String SAVE_CHECKPOINT = """
            UPDATE peers SET checkpoint_size = $2, checkpoint_root = $3, checkpoint_note = $4, checked_at = now(),
                   grown_at = now(), updated_at = now()
             WHERE url = $1 AND status = 'trusted' AND coalesce(checkpoint_size, -1) = $5""";

    private static final String CHECKED = "UPDATE peers SET checked_at = now() WHERE url = $1";

    /** A round that read and verified everything it asked for: the fault, if any, is over. */
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
            UPDATE peers SET status = 'quarantined', reason = $2, fault_kind = NULL, fault_reason = NULL,
                   fault_since = NULL, fault_attempts = 0, next_retry = NULL, updated_at = now()
             WHERE url = $1""";

    private static final String INSERT_EVIDENCE = """
            INSERT INTO peer_evidence (peer_url, origin, kind, detail, statements, document)
            VALUES ($1, $2, $3, $4, $5, $6)""";

    private static final String SELECT_EVIDENCE = """
            SELECT id, peer_url, origin, kind, detail, statements, document, created_at FROM peer_evidence
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

    /** The URL through which this node already follows the log {@code origin}, other than {@code url}. */
    Future<Optional<String>> followedThrough(String origin, String url) {
        return pool.preparedQuery(FOLLOWED_THROUGH).execute(Tuple.of(origin, url)).map(rows -> rows.size() == 0
                ? Optional.<String>empty() : Optional.of(rows.iterator().next().getString("url")));
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

    /** A round that read and verified everything: clears the fault and records the contact. */
    Future<Void> succeeded(String url) {
        return pool.preparedQuery(SUCCEEDED).execute(Tuple.of(url)).mapEmpty();
    }

    /** A failed round: the fault, shown on the peer, and when the next round runs. */
    Future<Void> fault(String url, Fault fault, Duration retryIn) {
        return pool.preparedQuery(FAULT).execute(Tuple.of(url, fault.kind().wireName(), fault.reason(),
                retryIn.toMillis())).mapEmpty();
    }

    /** Quarantines the peer and stores the evidence (in its self-verifying form), in one transaction. */
    Future<Void> quarantine(String url, Optional<String> origin, Evidence evidence) {
        String reason = evidence.kind().wireName() + ": " + evidence.detail();
        JsonArray statements = new JsonArray(new ArrayList<>(evidence.checkpoints()));
        JsonObject document = new JsonObject(evidence.toJsonString());
        return pool.withTransaction(tx -> tx.preparedQuery(INSERT_EVIDENCE)
                .execute(Tuple.of(url, origin.orElse(evidence.origin()), evidence.kind().wireName(), evidence.detail(),
                        statements, document))
                .compose(v -> tx.preparedQuery(QUARANTINE).execute(Tuple.of(url, reason))))
                .mapEmpty();
    }

    /** Every peer, as {@code GET /v1/peers} shows it. */
    Future<JsonArray> list(SqlClient client) {
        return select(client, Optional.empty());
    }

    /** One peer, as {@code GET /v1/peers} shows it. */
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
                throw new IllegalStateException("stored checkpoint of " + r.getString("url") + " does not parse", e);
            }
        }
        return new PeerState(r.getString("url"), Optional.ofNullable(r.getString("origin")),
                Optional.ofNullable(r.getString("log_key")), PeerState.Status.fromWireName(r.getString("status")),
                Optional.ofNullable(r.getString("reason")), cp, r.getLong("next_entry"));
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
