package dev.grove.verify;

import dev.grove.checkpoint.Checkpoint;
import dev.grove.tlog.ConsistencyProof;
import dev.grove.tlog.HashSources;
import dev.grove.tlog.ProofException;
import java.util.Arrays;

/**
 * Holds a log's newly verified checkpoint to the largest one a client verified before, so that a client never accepts
 * less than it accepted before: both must be true of one append-only tree. The consistency hashes (RFC 9162 §2.1.4) are
 * computed from the log's hash tiles (c2sp.org/tlog-tiles) as the registry serves them, not taken from the registry, so
 * a node, a mirror and a static host are held to it alike.
 *
 * <pre>{@code
 * if (CheckpointHistory.hold(seenBefore, verifiedNow, tiles) == CheckpointHistory.Keep.NOW) { remember(verifiedNow); }
 * }</pre>
 */
public final class CheckpointHistory {
    private CheckpointHistory() {
    }

    /** Which of the two checkpoints the client keeps as the largest verified. */
    public enum Keep {
        /** The new one: it is larger and consistent with the one before. */
        NOW,
        /** The one before: the new one is not larger (and is consistent with it). */
        BEFORE
    }

    /**
     * @param before the largest checkpoint of the log verified before (its signature checked by the caller)
     * @param now    the checkpoint just verified, of the same log
     * @param tiles  reads the log's hash tiles; may throw {@link ProofException} for a tile it has not fetched yet
     * @throws Refusal LOG when the two cannot both be true, or the tiles do not show them consistent
     * @throws ProofException from {@code tiles}, for the caller to fetch what is missing and call again
     */
    public static Keep hold(Checkpoint before, Checkpoint now, HashSources.TileReader tiles) throws ProofException {
        if (!before.origin().equals(now.origin())) {
            throw new IllegalArgumentException("checkpoints of two logs: " + before.origin() + ", " + now.origin());
        }
        if (before.size() == now.size()) {
            if (!Arrays.equals(before.rootHash(), now.rootHash())) {
                throw new Refusal(Refusal.Check.LOG, "log " + now.origin() + " signed two checkpoints of size "
                        + now.size() + " with different roots: the one verified before and the one served now; the "
                        + "log shows different histories");
            }
            return Keep.BEFORE;
        }
        Checkpoint small = before.size() < now.size() ? before : now;
        Checkpoint large = before.size() < now.size() ? now : before;
        ConsistencyProof proof = ConsistencyProof.generate(small.size(), large.size(),
                HashSources.fromTiles(tiles, large.size()));
        try {
            ConsistencyProof.verify(small.size(), small.rootHash(), large.size(), large.rootHash(), proof.hashes());
        } catch (ProofException e) {
            throw new Refusal(Refusal.Check.LOG, "the checkpoint of log " + now.origin() + " of size " + now.size()
                    + " cannot be shown consistent with the one of size " + before.size() + " verified before: "
                    + e.getMessage() + "; a client never accepts less than it accepted before", e);
        }
        return now.size() > before.size() ? Keep.NOW : Keep.BEFORE;
    }
}
