package dev.grove.crypto;

/** A key's name in envelopes and keysets: the SHA-256 of its 32 raw public-key bytes, printed as 64 lowercase hex digits. */
public final class KeyId implements Comparable<KeyId> {
    private final Sha256 digest;

    private KeyId(Sha256 digest) {
        this.digest = digest;
    }

    public static KeyId of(Ed25519PublicKey key) {
        return key.keyId();
    }

    static KeyId ofRawKey(byte[] rawPublicKey) {
        return new KeyId(Sha256.of(rawPublicKey));
    }

    /** @throws IllegalArgumentException unless the text is 64 lowercase hex digits */
    public static KeyId parse(String hex64) {
        if (hex64 == null || !Hex.isLowerHex(hex64, 64)) {
            throw new IllegalArgumentException("not a key id (64 lowercase hex digits): '"
                    + (hex64 == null ? "null" : Texts.abbreviate(hex64)) + "'");
        }
        return new KeyId(Sha256.wrap(Hex.decode(hex64)));
    }

    public static KeyId fromBytes(byte[] bytes) {
        return new KeyId(Sha256.fromBytes(bytes));
    }

    public byte[] bytes() {
        return digest.bytes();
    }

    public String hex() {
        return digest.hex();
    }

    @Override
    public String toString() {
        return hex();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyId other && digest.equals(other.digest);
    }

    @Override
    public int hashCode() {
        return digest.hashCode();
    }

    /** Orders by the hex text, for deterministic listings. */
    @Override
    public int compareTo(KeyId o) {
        byte[] a = digest.unsafeBytes();
        byte[] b = o.digest.unsafeBytes();
        for (int i = 0; i < a.length; i++) {
            int c = Integer.compare(a[i] & 0xFF, b[i] & 0xFF);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
