package dev.grove.node.log;

import dev.grove.tlog.MerkleHash;
import java.util.Objects;

/**
 * A checkpoint the node published.
 *
 * @param size the tree size
 * @param root the root hash (32 bytes; copied in and out)
 * @param note the signed note as served: the checkpoint text, the log's signature and any witness cosignatures
 */
public record LogCheckpoint(long size, byte[] root, String note) {

    public LogCheckpoint {
        if (size < 0) {
            throw new IllegalArgumentException("negative tree size " + size);
        }
        if (root.length != MerkleHash.SIZE) {
            throw new IllegalArgumentException("a root hash has 32 bytes, got " + root.length);
        }
        root = root.clone();
        Objects.requireNonNull(note, "note");
    }

    @Override
    public byte[] root() {
        return root.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogCheckpoint c && c.size == size && java.util.Arrays.equals(c.root, root) && c.note.equals(note);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(size) * 31 + note.hashCode();
    }

    @Override
    public String toString() {
        return "LogCheckpoint[size=" + size + "]";
    }
}
