package dev.grove.node.witness;

import dev.grove.note.Note;
import dev.grove.tlog.ConsistencyProof;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * What asking witnesses needs from this node's own log: its latest signed checkpoint and consistency proofs between its
 * sizes. Implemented over the node's log ({@code dev.grove.node.log}); tests implement it in memory.
 */
public interface LogCheckpoints {

    /** The latest signed checkpoint (log signature only), or empty while the log has none. */
    Future<Optional<Note>> latest();

    /**
     * The RFC 9162 consistency proof from {@code oldSize} to {@code newSize}, both at most the latest checkpoint's size.
     * Fails when the log cannot produce it.
     */
    Future<ConsistencyProof> consistency(long oldSize, long newSize);
}
