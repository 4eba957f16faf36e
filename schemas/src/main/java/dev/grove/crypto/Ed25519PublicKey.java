package dev.grove.crypto;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 public key, validated on construction (the 32 bytes must decode to a point of the prime-order subgroup), so a
 * key that exists can always be used to verify.
 */
public final class Ed25519PublicKey {
    public static final int LENGTH = 32;
    public static final int SIGNATURE_LENGTH = 64;

    /** Keys validated lately: the full check costs as much as a signature check, and the same keys come again and again. */
    private static final int VALIDATED_KEPT = 4096;
    private static final Map<String, Ed25519PublicKey> VALIDATED = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Ed25519PublicKey> eldest) {
            return size() > VALIDATED_KEPT;
        }
    };

    private final byte[] bytes;
    /** The decoded point, so that each signature check does not decode and check the key again. */
    private final Ed25519.PublicPoint point;
    private final KeyId keyId;

    private Ed25519PublicKey(byte[] bytes, Ed25519.PublicPoint point) {
        this.bytes = bytes;
        this.point = point;
        this.keyId = KeyId.ofRawKey(bytes);
    }

    /** @throws IllegalArgumentException when the bytes are not 32 long or not a valid Ed25519 point */
    public static Ed25519PublicKey fromBytes(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("an Ed25519 public key has 32 bytes, got " + bytes.length);
        }
        String seen = new String(bytes, StandardCharsets.ISO_8859_1);
        synchronized (VALIDATED) {
            Ed25519PublicKey known = VALIDATED.get(seen);
            if (known != null) {
                return known;
            }
        }
        byte[] copy = bytes.clone();
        Ed25519.PublicPoint point = Ed25519.validatePublicKeyFullExport(copy, 0);
        if (point == null) {
            throw new IllegalArgumentException("not a valid Ed25519 public key: " + Hex.encode(copy));
        }
        Ed25519PublicKey key = new Ed25519PublicKey(copy, point);
        synchronized (VALIDATED) {
            VALIDATED.put(seen, key);
        }
        return key;
    }

    /** @throws IllegalArgumentException when the text is not canonical base64 of a valid 32-byte key */
    public static Ed25519PublicKey fromBase64(String base64) {
        return fromBytes(StrictBase64.decode(base64));
    }

    /** Trusted construction from a key derived from a seed. */
    static Ed25519PublicKey derived(byte[] bytes) {
        return new Ed25519PublicKey(bytes, Ed25519.validatePublicKeyPartialExport(bytes, 0));
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
            return Ed25519.verify(signature, 0, point, message, 0, message.length);
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
