package dev.grove.node.blob;

import dev.grove.crypto.Sha256;
import java.util.Objects;

/** A stored blob: its digest and its size in bytes. */
public record BlobInfo(Sha256 digest, long size) {

    public BlobInfo {
        Objects.requireNonNull(digest, "digest");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative, was " + size);
        }
    }
}
