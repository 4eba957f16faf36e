package dev.grove.crypto;

/**
 * A SHA-256 digest: the identity of a package, a card or an artifact. Prints as {@code sha256:<64 lowercase hex>} and parses
 * exactly what it prints; compares in constant time.
 */
public final class Sha256 {
    public static final int LENGTH = 32;
    private static final String PREFIX = "sha256:";

    private final byte[] bytes;

    private Sha256(byte[] bytes) {
        this.bytes = bytes;
    }

    public static Sha256 of(byte[] data) {
        return new Sha256Hasher().update(data).digest();
    }

    /** @throws IllegalArgumentException unless the text is "sha256:" and 64 lowercase hex digits */
    public static Sha256 parse(String text) {
        if (text == null || !text.startsWith(PREFIX) || !Hex.isLowerHex(text.substring(PREFIX.length()), 64)) {
            throw new IllegalArgumentException("not a sha256 digest: '" + (text == null ? "null" : Texts.abbreviate(text))
                    + "'");
        }
        return new Sha256(Hex.decode(text.substring(PREFIX.length())));
    }

    /** @throws IllegalArgumentException unless there are exactly 32 bytes */
    public static Sha256 fromBytes(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a sha256 digest has 32 bytes, got " + bytes.length);
        }
        return new Sha256(bytes.clone());
    }

    /** A copy of the 32 bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    public String hex() {
        return Hex.encode(bytes);
    }

    @Override
    public String toString() {
        return PREFIX + hex();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sha256 other && constantTimeEquals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return (bytes[0] & 0xFF) << 24 | (bytes[1] & 0xFF) << 16 | (bytes[2] & 0xFF) << 8 | (bytes[3] & 0xFF);
    }

    static boolean constantTimeEquals(byte[] a, byte[] b) {
        if (a.length != b.length) {
            return false;
        }
        int diff = 0;
        for (int i = 0; i < a.length; i++) {
            diff |= a[i] ^ b[i];
        }
        return diff == 0;
    }

    byte[] unsafeBytes() {
        return bytes;
    }

    static Sha256 wrap(byte[] owned) {
        return new Sha256(owned);
    }
}
