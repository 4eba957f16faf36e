package dev.grove.node.witness;

import dev.grove.checkpoint.Checkpoint;
import dev.grove.checkpoint.CheckpointException;
import dev.grove.checkpoint.CheckpointVerifier;
import dev.grove.crypto.StrictBase64;
import dev.grove.note.NoteSignature;
import dev.grove.note.NoteVerifier;
import dev.grove.tlog.ConsistencyProof;
import java.security.MessageDigest;
import dev.grove.tlog.ProofException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The witness of c2sp.org/tlog-witness: cosigns a checkpoint of a known log when it is consistent with the last
 * checkpoint it cosigned for that origin, and only then moves its record forward.
 *
 * <p>The check against the stored state and the update run in one transaction that holds the origin's row
 * ({@code SELECT ... FOR UPDATE}, or the insert of the first row), so two concurrent requests cannot both advance from
 * the same size and a log cannot be rolled back by a slow request. The cosignature is made only after the commit.
 *
 * <p>A log that shows two histories is caught here: a checkpoint of the cosigned size with another root is a split view
 * (kept as {@code split-view} evidence); a checkpoint whose consistency proof from the cosigned one does not verify may be
 * a fork or only a broken client (kept as {@code bad-proof}). Both signed notes go to {@code witness_evidence} in the
 * same transaction, before the refusal is returned.
 */
public final class Witness {

    private static final Logger LOG = LoggerFactory.getLogger(Witness.class);

    private static final String SELECT_STATE = "SELECT size, root, note FROM witness_state WHERE origin = $1 FOR UPDATE";
    private static final String INSERT_STATE = """
            INSERT INTO witness_state (origin, size, root, note) VALUES ($1, $2, $3, $4)
            ON CONFLICT (origin) DO NOTHING""";
    private static final String UPDATE_STATE = """
            UPDATE witness_state SET size = $2, root = $3, note = $4, updated_at = now()
            WHERE origin = $1 AND size = $5""";
    private static final String INSERT_EVIDENCE = """
            INSERT INTO witness_evidence (origin, kind, cosigned_note, presented_note, proof, detail)
            VALUES ($1, $2, $3, $4, $5, $6)""";

    private final Pool pool;
    private final KnownLogs logs;
    private final Future<WitnessKey> key;
    private final LongSupplier clock;

    /**
     * @param key   the witness key (a future: it is read from disk on a worker thread at start)
     * @param clock POSIX seconds, for the cosignature timestamps
     */
    public Witness(Pool pool, KnownLogs logs, Future<WitnessKey> key, LongSupplier clock) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.logs = Objects.requireNonNull(logs, "logs");
        this.key = Objects.requireNonNull(key, "key");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The witness key, once loaded. */
    public Future<WitnessKey> key() {
        return key;
    }

    /**
     * Checks an add-checkpoint request and, when it passes, records the checkpoint and returns this witness's
     * cosignature on it. Fails with a {@link WitnessException} carrying the spec's status when it does not pass.
     */
    public Future<NoteSignature> addCheckpoint(AddCheckpointRequest request) {
        Checkpoint checkpoint;
        try {
            checkpoint = Checkpoint.parse(request.checkpoint().text());
        } catch (CheckpointException e) {
            return Future.failedFuture(WitnessException.badRequest("not a checkpoint: " + e.getMessage()));
        }
        String origin = checkpoint.origin();
        return key.compose(witnessKey -> logs.logKey(origin).compose(found -> {
            if (found.isEmpty()) {
                return Future.failedFuture(WitnessException.unknownLog("this witness does not witness the log '"
                        + abbreviate(origin) + "'"));
            }
            try {
                check(found.get(), checkpoint, request);
            } catch (WitnessException e) {
                return Future.failedFuture(e);
            }
            return pool.withTransaction(conn -> record(conn, checkpoint, request))
                    .compose(refusal -> refusal == null
                            ? Future.succeededFuture(witnessKey.cosign(request.checkpoint().text(), clock.getAsLong()))
                            : Future.failedFuture(refusal));
        }));
    }

    /** The checks that need no state: the log's signature, the sizes, the proof's shape. */
    private static void check(NoteVerifier logKey, Checkpoint checkpoint, AddCheckpointRequest request)
            throws WitnessException {
        try {
            CheckpointVerifier.forLog(logKey, checkpoint.origin()).verify(request.checkpoint());
        } catch (CheckpointException e) {
            throw WitnessException.forbidden("checkpoint of '" + abbreviate(checkpoint.origin())
                    + "' has no valid signature by its log key " + logKey + ": " + e.getMessage());
        }
        if (request.oldSize() > checkpoint.size()) {
            throw WitnessException.badRequest("old size " + request.oldSize() + " is above the checkpoint size "
                    + checkpoint.size());
        }
        if (request.oldSize() == 0 && !request.proof().isEmpty()) {
            throw WitnessException.badRequest("the consistency proof must be empty when the old size is 0");
        }
    }

    /**
     * Checks the request against the stored state and moves it forward; returns null when the checkpoint may be
     * cosigned, or the refusal (the transaction still commits, keeping any evidence).
     */
    private Future<WitnessException> record(SqlConnection conn, Checkpoint checkpoint, AddCheckpointRequest request) {
        String origin = checkpoint.origin();
        String note = request.checkpoint().toString();
        return conn.preparedQuery(SELECT_STATE).execute(Tuple.of(origin)).compose(rows -> {
            Row row = rows.iterator().hasNext() ? rows.iterator().next() : null;
            long knownSize = row == null ? 0 : row.getLong("size");
            byte[] knownRoot = row == null ? null : row.getBuffer("root").getBytes();
            String knownNote = row == null ? "" : row.getString("note");
            byte[] root = checkpoint.rootHash();

            if (row != null && checkpoint.size() == knownSize && !MessageDigest.isEqual(root, knownRoot)) {
                String detail = "split view: a checkpoint of size " + knownSize + " with root " + b64(root)
                        + ", but this witness cosigned root " + b64(knownRoot) + " at that size";
                return evidence(conn, origin, "split-view", knownNote, note, request, detail)
                        .map(v -> WitnessException.conflict(detail, knownSize));
            }
            if (request.oldSize() != knownSize) {
                return Future.succeededFuture(WitnessException.conflict("old size " + request.oldSize()
                        + " is not the size of the latest checkpoint this witness cosigned for '" + abbreviate(origin)
                        + "', " + knownSize, knownSize));
            }
            if (row != null && knownSize > 0) {
                try {
                    ConsistencyProof.verify(knownSize, knownRoot, checkpoint.size(), root, request.proof());
                } catch (ProofException e) {
                    String detail = "consistency proof from the cosigned size " + knownSize + " to " + checkpoint.size()
                            + " does not verify: " + e.getMessage();
                    return evidence(conn, origin, "bad-proof", knownNote, note, request, detail)
                            .map(v -> WitnessException.badProof(detail));
                }
            }
            Tuple values = Tuple.of(origin, checkpoint.size(), Buffer.buffer(root), note);
            Future<Integer> written = row == null
                    ? conn.preparedQuery(INSERT_STATE).execute(values).map(r -> r.rowCount())
                    : conn.preparedQuery(UPDATE_STATE).execute(values.addLong(knownSize)).map(r -> r.rowCount());
            return written.compose(count -> count == 1 ? Future.succeededFuture((WitnessException) null)
                    // another request stored a first checkpoint for this origin since we looked
                    : conn.preparedQuery("SELECT size FROM witness_state WHERE origin = $1").execute(Tuple.of(origin))
                            .map(r -> WitnessException.conflict("another checkpoint of '" + abbreviate(origin)
                                    + "' was cosigned meanwhile", r.iterator().next().getLong(0))));
        });
    }

    private static Future<Void> evidence(SqlConnection conn, String origin, String kind, String cosignedNote,
                                         String presentedNote, AddCheckpointRequest request, String detail) {
        StringBuilder proof = new StringBuilder("old ").append(request.oldSize()).append('\n');
        for (byte[] h : request.proof()) {
            proof.append(StrictBase64.encode(h)).append('\n');
        }
        LOG.warn("log '{}' misbehaves ({}): {}", abbreviate(origin), kind, detail);
        return conn.preparedQuery(INSERT_EVIDENCE)
                .execute(Tuple.of(origin, kind, cosignedNote, presentedNote, proof.toString(), detail))
                .mapEmpty();
    }

    private static String b64(byte[] hash) {
        return StrictBase64.encode(hash);
    }

    static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
