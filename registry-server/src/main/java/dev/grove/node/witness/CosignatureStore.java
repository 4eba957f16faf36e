package dev.grove.node.witness;

import dev.grove.checkpoint.Checkpoint;
import dev.grove.checkpoint.CheckpointException;
import dev.grove.node.log.CheckpointCosignatures;
import dev.grove.note.Note;
import dev.grove.note.NoteException;
import dev.grove.note.NoteSignature;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The witness cosignatures collected for this node's checkpoints ({@code checkpoint_cosignatures}), each verified with
 * its witness's configured key before it was stored. The log serves them after its own signature, so that a client can
 * demand k witnesses ({@code CheckpointVerifier.verifyCosigned(note, witnesses, k)}).
 */
public final class CosignatureStore implements CheckpointCosignatures {

    private static final Logger LOG = LoggerFactory.getLogger(CosignatureStore.class);

    private static final String SELECT = """
            SELECT line FROM checkpoint_cosignatures WHERE size = $1 AND root = $2 ORDER BY witness""";
    private static final String INSERT = """
            INSERT INTO checkpoint_cosignatures (size, root, witness, line, cosigned_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (size, root, witness) DO NOTHING""";

    private final Pool pool;

    public CosignatureStore(Pool pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    /** The cosignature lines collected for exactly the checkpoint of {@code size} with {@code root}, by witness key. */
    @Override
    public Future<List<NoteSignature>> cosignatures(long size, byte[] root) {
        return pool.preparedQuery(SELECT).execute(Tuple.of(size, Buffer.buffer(root))).map(rows -> {
            List<NoteSignature> out = new ArrayList<>();
            for (Row row : rows) {
                try {
                    out.add(NoteLines.parseLine(row.getString("line")));
                } catch (NoteException e) {
                    LOG.warn("skipping a stored cosignature of checkpoint {} that does not parse: {}", size,
                            e.getMessage());
                }
            }
            return out;
        });
    }

    /**
     * The signed checkpoint followed by the cosignatures collected for it; unchanged when there is none or its text is
     * not a checkpoint.
     */
    public Future<Note> withCosignatures(Note signedCheckpoint) {
        Checkpoint checkpoint;
        try {
            checkpoint = Checkpoint.parse(signedCheckpoint.text());
        } catch (CheckpointException e) {
            return Future.succeededFuture(signedCheckpoint);
        }
        return cosignatures(checkpoint.size(), checkpoint.rootHash()).map(lines -> {
            Note out = signedCheckpoint;
            for (NoteSignature line : lines) {
                out = out.withSignature(line);
            }
            return out;
        });
    }

    /** Stores a verified cosignature by {@code witness} (its verifier key) on the checkpoint; keeps an earlier one. */
    Future<Void> store(Checkpoint checkpoint, String witness, NoteSignature line, long timestamp) {
        return pool.preparedQuery(INSERT)
                .execute(Tuple.of(checkpoint.size(), Buffer.buffer(checkpoint.rootHash()), witness, line.line(), timestamp))
                .mapEmpty();
    }
}
