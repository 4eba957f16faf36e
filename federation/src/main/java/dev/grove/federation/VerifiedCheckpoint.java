package dev.grove.federation;

import dev.grove.checkpoint.Checkpoint;
import java.util.Objects;

/**
 * A checkpoint whose signature by the peer's pinned key verified, with the signed note exactly as received (kept as
 * evidence should a later checkpoint contradict it).
 *
 * @param note       the signed note as served
 * @param checkpoint its parsed body
 */
public record VerifiedCheckpoint(String note, Checkpoint checkpoint) {
    public VerifiedCheckpoint {
        Objects.requireNonNull(note, "note");
        Objects.requireNonNull(checkpoint, "checkpoint");
    }

    public long size() {
        return checkpoint.size();
    }

    public byte[] rootHash() {
        return checkpoint.rootHash();
    }

    public String origin() {
        return checkpoint.origin();
    }
}
