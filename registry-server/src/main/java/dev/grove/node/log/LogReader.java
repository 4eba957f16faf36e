package dev.grove.node.log;

import dev.grove.tlog.ConsistencyProof;
import dev.grove.tlog.InclusionProof;
import dev.grove.tlog.TilePath;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * Reads the node's log as published: everything is answered against signed checkpoints, never against entries that are
 * committed but not yet integrated. Ranges that can never be valid fail with {@link IllegalArgumentException}; what is
 * valid but not (yet) in the log is an empty {@code Optional}.
 */
public interface LogReader {

    /** The latest checkpoint, with the cosignatures collected for it; empty before the first integration round. */
    Future<Optional<LogCheckpoint>> checkpoint();

    /**
     * The bytes of a hash tile or an entry bundle ({@link TilePath#isEntryBundle()}), exactly as c2sp.org/tlog-tiles
     * serves them; empty when the latest checkpoint's tree does not (yet) contain it. A partial tile of any width up to
     * the tile's width at the latest checkpoint is served (it is a prefix of the wider tile).
     */
    Future<Optional<byte[]>> tile(TilePath path);

    /**
     * The inclusion proof of entry {@code index} in the tree of {@code treeSize} entries; empty when {@code treeSize} is
     * larger than the latest checkpoint's.
     *
     * @throws IllegalArgumentException (as the failure) unless {@code 0 <= index < treeSize}
     */
    Future<Optional<InclusionProof>> inclusion(long index, long treeSize);

    /**
     * The consistency proof between the trees of {@code from} and {@code to} entries; empty when {@code to} is larger
     * than the latest checkpoint's size.
     *
     * @throws IllegalArgumentException (as the failure) unless {@code 0 <= from <= to}
     */
    Future<Optional<ConsistencyProof>> consistency(long from, long to);

    /**
     * The latest checkpoint and the inclusion proof of entry {@code index} in it; empty while the entry is not yet in a
     * checkpoint.
     */
    Future<Optional<Included>> included(long index);

    /** An entry's inclusion in a published checkpoint. */
    record Included(LogCheckpoint checkpoint, InclusionProof proof) {
    }
}
