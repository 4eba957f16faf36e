package dev.grove.crypto;

import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 signing key, held as its RFC 8032 32-byte seed. {@link #toString()} never shows the seed, so the key can be
 * logged by accident without leaking.
 */
public final class Ed25519PrivateKey {
    public static final int SEED_LENGTH = 32;

    private final byte[] seed;
    private final Ed25519PublicKey publicKey;

    private Ed25519PrivateKey(byte[] seed) {
        this.seed = seed;
        byte[] pk = new byte[Ed25519PublicKey.LENGTH];
        Ed25519.generatePublicKey(seed, 0, pk, 0);
        this.publicKey = Ed25519PublicKey.derived(pk);
    }

    /** @throws IllegalArgumentException unless the seed has 32 bytes */
    public static Ed25519PrivateKey fromSeed(byte[] seed) {
        if (seed.length != SEED_LENGTH) {
            throw new IllegalArgumentException("an Ed25519 seed has 32 bytes, got " + seed.length);
        }
        return new Ed25519PrivateKey(seed.clone());
    }

    /** A fresh key from {@link SecureRandom} (JVM only; the browser runtime never generates keys). */
    public static Ed25519PrivateKey generate() {
        byte[] seed = new byte[SEED_LENGTH];
        new SecureRandom().nextBytes(seed);
        return new Ed25519PrivateKey(seed);
    }

    public Ed25519PublicKey publicKey() {
        return publicKey;
    }

    public KeyId keyId() {
        return publicKey.keyId();
    }

    /** The 64-byte RFC 8032 (pure Ed25519) signature of the message. */
    public byte[] sign(byte[] message) {
        byte[] sig = new byte[Ed25519PublicKey.SIGNATURE_LENGTH];
        byte[] pk = publicKey.bytes();
        Ed25519.sign(seed, 0, pk, 0, message, 0, message.length, sig, 0);
        return sig;
    }

    /** A copy of the secret seed: handle with care. */
    public byte[] seed() {
        return seed.clone();
    }

    @Override
    public String toString() {
        return "Ed25519PrivateKey[keyid=" + keyId().hex() + "]";
    }
}
