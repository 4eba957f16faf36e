package dev.grove.node.witness;

import dev.grove.node.log.LogReader;
import dev.grove.note.Note;
import dev.grove.note.NoteException;
import dev.grove.note.NoteSignature;
import dev.grove.note.NoteVerifier;
import dev.grove.tlog.ConsistencyProof;
import io.vertx.core.Future;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link LogCheckpoints} over the node's own log ({@code dev.grove.node.log}): its latest checkpoint with only the log's
 * own signature (the witness is sent what the log signed, not what other witnesses added), and its consistency proofs.
 */
public final class NodeLogCheckpoints implements LogCheckpoints {

    private final LogReader reader;
    private final NoteVerifier logKey;

    public NodeLogCheckpoints(LogReader reader, NoteVerifier logKey) {
        this.reader = Objects.requireNonNull(reader, "reader");
        this.logKey = Objects.requireNonNull(logKey, "logKey");
    }

    @Override
    public Future<Optional<Note>> latest() {
        return reader.checkpoint().compose(latest -> {
            if (latest.isEmpty()) {
                return Future.succeededFuture(Optional.<Note>empty());
            }
            try {
                Note note = Note.parse(latest.get().note());
                List<NoteSignature> own = note.signatures().stream().filter(logKey::isKeyOf).toList();
                return Future.succeededFuture(Optional.of(Note.of(note.text(), own)));
            } catch (NoteException e) {
                return Future.failedFuture(new IllegalStateException("the log's latest checkpoint does not parse: "
                        + e.getMessage(), e));
            }
        });
    }

    @Override
    public Future<ConsistencyProof> consistency(long oldSize, long newSize) {
        return reader.consistency(oldSize, newSize).compose(proof -> proof.isPresent()
                ? Future.succeededFuture(proof.get())
                : Future.failedFuture(new IllegalStateException("the log has no checkpoint of size " + newSize)));
    }
}
