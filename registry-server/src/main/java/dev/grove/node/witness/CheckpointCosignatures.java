package dev.grove.node.witness;

import dev.grove.checkpoint.Checkpoint;
import dev.grove.checkpoint.CheckpointException;
import dev.grove.note.Note;
import dev.grove.note.NoteException;
import dev.grove.note.NoteSignature;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The witness cosignatures collected for this node's checkpoints ({@code checkpoint_cosignatures}). The log's checkpoint
 * route serves {@link #withCosignatures} so that a client can demand k witnesses
 * ({@code CheckpointVerifier.verifyCosigned(note, witnesses, k)}).
 */
public final class CheckpointCosignatures {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointCosignatures.class);

    private static final String SELECT = """
            SELECT line FROM checkpoint_cosignatures WHERE size = $1 AND root = $2 ORDER BY witness""";
    private static final String INSERT = """
            INSERT INTO checkpoint_cosignatures (size, root, witness, line, cosigned_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (size, root, witness) DO NOTHING""";

    private final Pool pool;

    public CheckpointCosignatures(Pool pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    /**
     * The signed checkpoint followed by every cosignature collected for exactly this checkpoint (same size and root),
     * in the order of the witnesses' keys; the note unchanged when there is none or it is not a checkpoint.
     */
    public Future<Note> withCosignatures(Note signedCheckpoint) {
        Checkpoint checkpoint;
        try {
            checkpoint = Checkpoint.parse(signedCheckpoint.text());
        } catch (CheckpointException e) {
            return Future.succeededFuture(signedCheckpoint);
        }
        return pool.preparedQuery(SELECT).execute(Tuple.of(checkpoint.size(), Buffer.buffer(checkpoint.rootHash())))
                .map(rows -> {
                    Note out = signedCheckpoint;
                    for (Row row : rows) {
                        try {
                            out = out.withSignature(NoteLines.parseLine(row.getString("line")));
                        } catch (NoteException | IllegalArgumentException e) {
                            LOG.warn("skipping a stored cosignature of checkpoint {} that does not parse: {}",
                                    checkpoint.size(), e.getMessage());
                        }
                    }
                    return out;
                });
    }

    /** {@link #withCosignatures(Note)} on the note's text; the text unchanged when it is not a signed note. */
    public Future<String> withCosignatures(String signedCheckpoint) {
        try {
            return withCosignatures(Note.parse(signedCheckpoint)).map(Note::toString);
        } catch (NoteException e) {
            return Future.succeededFuture(signedCheckpoint);
        }
    }

    /** Stores a verified cosignature by {@code witness} (its verifier key) on the checkpoint; keeps an earlier one. */
    Future<Void> store(Checkpoint checkpoint, String witness, NoteSignature line, long timestamp) {
        return pool.preparedQuery(INSERT)
                .execute(Tuple.of(checkpoint.size(), Buffer.buffer(checkpoint.rootHash()), witness, line.line(), timestamp))
                .mapEmpty();
    }
}
