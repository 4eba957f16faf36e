package dev.grove.crypto;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 public key, validated on construction (the 32 bytes must decode to a point of the prime-order subgroup), so a
 * key that exists can always be used to verify.
 */
public final class Ed25519PublicKey {
    public static final int LENGTH = 32;
    public static final int SIGNATURE_LENGTH = 64;

    private final byte[] bytes;
    private final KeyId keyId;

    private Ed25519PublicKey(byte[] bytes) {
        this.bytes = bytes;
        this.keyId = KeyId.ofRawKey(bytes);
    }

    /** @throws IllegalArgumentException when the bytes are not 32 long or not a valid Ed25519 point */
    public static Ed25519PublicKey fromBytes(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("an Ed25519 public key has 32 bytes, got " + bytes.length);
        }
        byte[] copy = bytes.clone();
        if (!Ed25519.validatePublicKeyFull(copy, 0)) {
            throw new IllegalArgumentException("not a valid Ed25519 public key: " + Hex.encode(copy));
        }
        return new Ed25519PublicKey(copy);
    }

    /** @throws IllegalArgumentException when the text is not canonical base64 of a valid 32-byte key */
    public static Ed25519PublicKey fromBase64(String base64) {
        return fromBytes(StrictBase64.decode(base64));
    }

    /** Trusted construction from a key derived from a seed. */
    static Ed25519PublicKey derived(byte[] bytes) {
        return new Ed25519PublicKey(bytes);
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public String base64() {
        return StrictBase64.encode(bytes);
    }

    public KeyId keyId() {
        return keyId;
    }

    /** True only for a valid signature of exactly this message; false (never an exception) for anything malformed. */
    public boolean verify(byte[] message, byte[] signature) {
        if (message == null || signature == null || signature.length != SIGNATURE_LENGTH) {
            return false;
        }
        try {
            return Ed25519.verify(signature, 0, bytes, 0, message, 0, message.length);
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ed25519PublicKey other && Sha256.constantTimeEquals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return keyId.hashCode();
    }

    @Override
    public String toString() {
        return "Ed25519PublicKey[" + base64() + "]";
    }
}
