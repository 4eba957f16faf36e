package dev.grove.node.log;

import dev.grove.note.NoteSignature;
import io.vertx.core.Future;
import java.util.List;

/**
 * The witness cosignatures a node collected for one of its checkpoints (c2sp.org/tlog-cosignature), served after the
 * log's own signature on {@code GET /log/checkpoint} and in version documents. The witnessing feature implements it;
 * without witnesses it is {@link #none()}.
 */
@FunctionalInterface
public interface CheckpointCosignatures {

    /**
     * The cosignature lines for the checkpoint of {@code size} with {@code root}, each already verified with its witness's
     * configured key; empty when there are none. A failure is logged and the checkpoint served without cosignatures.
     */
    Future<List<NoteSignature>> cosignatures(long size, byte[] root);

    /** No witnesses. */
    static CheckpointCosignatures none() {
        return (size, root) -> Future.succeededFuture(List.of());
    }
}
