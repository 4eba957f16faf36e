package dev.grove.blind;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.crypto.engines.RSABlindedEngine;
import org.bouncycastle.crypto.params.ParametersWithRandom;

/**
 * RFC 9474 {@code RSABSSA-SHA384-PSS-Randomized}: Prepare, Blind, BlindSign, Finalize and Verify (sections 4.1 to 4.5),
 * with EMSA-PSS from {@link Pss} and the RSA operations on {@link BigInteger} (the signer's through BouncyCastle's
 * {@code RSABlindedEngine}, which blinds its own private operation against timing attacks).
 *
 * <pre>{@code
 * byte[] prepared = BlindRsa.prepare(message, random);                  // client
 * Blinding blinding = BlindRsa.blind(publicKey, prepared, random);       // client: sends blinding.blindedMessage()
 * byte[] blindSig = BlindRsa.blindSign(privateKey, blinded, secureRandom); // signer: sees only the blinded message
 * byte[] sig = BlindRsa.finalizeSignature(publicKey, blinding, blindSig); // client: unblinds and verifies
 * BlindRsa.verify(publicKey, prepared, sig);                              // anyone, later
 * }</pre>
 */
public final class BlindRsa {

    /** The suite's name as RFC 9474 section 5 spells it. */
    public static final String SUITE = "RSABSSA-SHA384-PSS-Randomized";
    /** The length of the random prefix Prepare puts in front of the message. */
    public static final int PREFIX_BYTES = 32;
    /** The PSS salt length: the SHA-384 output length. */
    public static final int SALT_BYTES = 48;

    private BlindRsa() {
    }

    /** PrepareRandomize: 32 random bytes, then the message. */
    public static byte[] prepare(byte[] message, RandomBytes random) {
        byte[] prefix = new byte[PREFIX_BYTES];
        random.fill(prefix);
        return prepare(message, prefix);
    }

    /** PrepareRandomize with a given prefix (known-answer tests). */
    static byte[] prepare(byte[] message, byte[] prefix) {
        if (prefix.length != PREFIX_BYTES) {
            throw new IllegalArgumentException("the prefix has " + PREFIX_BYTES + " bytes, not " + prefix.length);
        }
        byte[] prepared = new byte[PREFIX_BYTES + message.length];
        System.arraycopy(prefix, 0, prepared, 0, PREFIX_BYTES);
        System.arraycopy(message, 0, prepared, PREFIX_BYTES, message.length);
        return prepared;
    }

    /**
     * Blind: encodes the prepared message with EMSA-PSS (a random salt) and multiplies it by {@code r^e} for a random
     * {@code r}.
     *
     * @throws BlindSignatureException when the encoded message is not invertible modulo {@code n} (which reveals a factor
     *                                 of {@code n}: a broken key)
     */
    public static Blinding blind(BlindRsaPublicKey key, byte[] preparedMessage, RandomBytes random)
            throws BlindSignatureException {
        byte[] salt = new byte[SALT_BYTES];
        random.fill(salt);
        return blind(key, preparedMessage, salt, randomUnit(key.modulus(), random));
    }

    /** Blind with a given salt and blinding factor (known-answer tests). */
    static Blinding blind(BlindRsaPublicKey key, byte[] preparedMessage, byte[] salt, BigInteger r)
            throws BlindSignatureException {
        BigInteger n = key.modulus();
        BigInteger m = new BigInteger(1, encode(key, preparedMessage, salt));
        if (!m.gcd(n).equals(BigInteger.ONE)) {
            throw new BlindSignatureException("the encoded message is not invertible modulo n: the key is broken");
        }
        BigInteger inverse = r.modInverse(n);
        BigInteger z = m.multiply(r.modPow(key.exponent(), n)).mod(n);
        return new Blinding(preparedMessage, i2osp(z, key.modulusBytes()), inverse);
    }

    /**
     * BlindSign: the RSA signature of the blinded message, checked to verify before it is returned (a fault in the private
     * operation would otherwise leak the key).
     *
     * @param random for the RSA engine's own blinding against timing side channels, not part of the protocol
     * @throws BlindSignatureException when the blinded message is not {@code kLen} bytes or not below {@code n}, or the
     *                                 signature fails its check
     */
    public static byte[] blindSign(BlindRsaPrivateKey key, byte[] blindedMessage, SecureRandom random)
            throws BlindSignatureException {
        BlindRsaPublicKey publicKey = key.publicKey();
        BigInteger n = publicKey.modulus();
        if (blindedMessage.length != publicKey.modulusBytes()) {
            throw new BlindSignatureException("a blinded message for this key has " + publicKey.modulusBytes()
                    + " bytes, not " + blindedMessage.length);
        }
        BigInteger m = new BigInteger(1, blindedMessage);
        if (m.compareTo(n) >= 0) {
            throw new BlindSignatureException("the blinded message is not below the key's modulus");
        }
        RSABlindedEngine engine = new RSABlindedEngine();
        engine.init(false, new ParametersWithRandom(key.params(), random));
        byte[] out = engine.processBlock(blindedMessage, 0, blindedMessage.length);
        BigInteger s = new BigInteger(1, out);
        if (!s.modPow(publicKey.exponent(), n).equals(m)) {
            throw new BlindSignatureException("the blind signature failed its verification: not returned");
        }
        return i2osp(s, publicKey.modulusBytes());
    }

    /**
     * Finalize: unblinds the blind signature and verifies the result over the prepared message.
     *
     * @throws BlindSignatureException when the blind signature has the wrong length or the result does not verify (the
     *                                 signer used another key, or answered something else)
     */
    public static byte[] finalizeSignature(BlindRsaPublicKey key, Blinding blinding, byte[] blindSignature)
            throws BlindSignatureException {
        if (blindSignature.length != key.modulusBytes()) {
            throw new BlindSignatureException("a blind signature for this key has " + key.modulusBytes() + " bytes, not "
                    + blindSignature.length);
        }
        BigInteger z = new BigInteger(1, blindSignature); // reduced below, as RFC 9474 section 4.3 does: no range check
        byte[] signature = i2osp(z.multiply(blinding.inverse()).mod(key.modulus()), key.modulusBytes());
        if (!verify(key, blinding.preparedMessage(), signature)) {
            throw new BlindSignatureException("the signature does not verify with the issuer's key");
        }
        return signature;
    }

    /** Verify: RSASSA-PSS-VERIFY with SHA-384, MGF1-SHA-384 and a 48-byte salt; {@code false} for any malformed input. */
    public static boolean verify(BlindRsaPublicKey key, byte[] preparedMessage, byte[] signature) {
        BigInteger n = key.modulus();
        if (signature.length != key.modulusBytes()) {
            return false;
        }
        BigInteger s = new BigInteger(1, signature);
        if (s.compareTo(n) >= 0) {
            return false;
        }
        int emBits = n.bitLength() - 1;
        BigInteger m = s.modPow(key.exponent(), n);
        if (m.bitLength() > emBits) {
            return false; // I2OSP(m, emLen) would not fit, or the top bits are set: not an encoding
        }
        return Pss.consistent(preparedMessage, i2osp(m, (emBits + 7) / 8), emBits, SALT_BYTES);
    }

    /** EMSA-PSS-ENCODE(preparedMessage, bitLength(n) - 1) with the given salt. */
    private static byte[] encode(BlindRsaPublicKey key, byte[] preparedMessage, byte[] salt) {
        if (salt.length != SALT_BYTES) {
            throw new IllegalArgumentException("the salt has " + SALT_BYTES + " bytes, not " + salt.length);
        }
        return Pss.encode(preparedMessage, key.modulus().bitLength() - 1, salt);
    }

    /** A uniformly random integer in [1, n) that is invertible modulo n, by rejection sampling. */
    private static BigInteger randomUnit(BigInteger n, RandomBytes random) {
        int bits = n.bitLength();
        byte[] bytes = new byte[(bits + 7) / 8];
        int excess = bytes.length * 8 - bits;
        while (true) {
            random.fill(bytes);
            bytes[0] &= (byte) (0xff >>> excess);
            BigInteger r = new BigInteger(1, bytes);
            if (r.signum() > 0 && r.compareTo(n) < 0 && r.gcd(n).equals(BigInteger.ONE)) {
                return r;
            }
        }
    }

    /** I2OSP: {@code x} as exactly {@code length} big-endian bytes. */
    static byte[] i2osp(BigInteger x, int length) {
        byte[] b = x.toByteArray();
        if (b.length == length) {
            return b;
        }
        byte[] out = new byte[length];
        if (b.length > length) {
            if (b.length != length + 1 || b[0] != 0) {
                throw new IllegalArgumentException("integer too large for " + length + " bytes");
            }
            System.arraycopy(b, 1, out, 0, length);
        } else {
            System.arraycopy(b, 0, out, length - b.length, b.length);
        }
        return out;
    }
}
