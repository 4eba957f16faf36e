package dev.grove.crypto;

import org.bouncycastle.crypto.digests.SHA256Digest;

/** Streaming SHA-256 for artifacts too large to hold in memory. Single use: {@link #digest()} ends it. */
public final class Sha256Hasher {
    private SHA256Digest digest = new SHA256Digest();

    public Sha256Hasher update(byte[] data, int offset, int length) {
        state().update(data, offset, length);
        return this;
    }

    public Sha256Hasher update(byte[] data) {
        return update(data, 0, data.length);
    }

    /** @throws IllegalStateException when called twice */
    public Sha256 digest() {
        byte[] out = new byte[Sha256.LENGTH];
        state().doFinal(out, 0);
        digest = null;
        return Sha256.wrap(out);
    }

    private SHA256Digest state() {
        if (digest == null) {
            throw new IllegalStateException("Sha256Hasher already produced its digest");
        }
        return digest;
    }
}
