package dev.grove.blind;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;

/**
 * The signer's RSA private key (with its CRT values). Only the signer (a node) holds one; the browser never does.
 * {@link #toString()} never prints the secret values.
 */
public final class BlindRsaPrivateKey {

    private static final BigInteger F4 = BigInteger.valueOf(65537);

    private final RSAPrivateCrtKeyParameters params;
    private final BlindRsaPublicKey publicKey;

    private BlindRsaPrivateKey(RSAPrivateCrtKeyParameters params) {
        this.params = params;
        this.publicKey = BlindRsaPublicKey.of(params.getModulus(), params.getPublicExponent());
    }

    /** A new key of {@code bits} bits with public exponent 65537. */
    public static BlindRsaPrivateKey generate(int bits, SecureRandom random) {
        if (bits < BlindRsaPublicKey.MIN_BITS || bits > BlindRsaPublicKey.MAX_BITS) {
            throw new IllegalArgumentException("a blind-signature key has " + BlindRsaPublicKey.MIN_BITS + " to "
                    + BlindRsaPublicKey.MAX_BITS + " bits, not " + bits);
        }
        RSAKeyPairGenerator generator = new RSAKeyPairGenerator();
        generator.init(new RSAKeyGenerationParameters(F4, random, bits, 112));
        AsymmetricCipherKeyPair pair = generator.generateKeyPair();
        return new BlindRsaPrivateKey((RSAPrivateCrtKeyParameters) pair.getPrivate());
    }

    /**
     * The key with these primes, public and private exponents (the CRT values are derived).
     *
     * @throws IllegalArgumentException unless {@code n = p q} and {@code e d = 1 mod lcm(p - 1, q - 1)}
     */
    public static BlindRsaPrivateKey of(BigInteger p, BigInteger q, BigInteger e, BigInteger d) {
        BigInteger n = p.multiply(q);
        BigInteger p1 = p.subtract(BigInteger.ONE);
        BigInteger q1 = q.subtract(BigInteger.ONE);
        BigInteger lcm = p1.divide(p1.gcd(q1)).multiply(q1);
        if (p.signum() <= 0 || q.signum() <= 0 || p.equals(q) || !e.multiply(d).mod(lcm).equals(BigInteger.ONE)) {
            throw new IllegalArgumentException("p, q, e and d do not form an RSA key");
        }
        return new BlindRsaPrivateKey(new RSAPrivateCrtKeyParameters(n, e, d, p, q, d.mod(p1), d.mod(q1),
                q.modInverse(p)));
    }

    public BlindRsaPublicKey publicKey() {
        return publicKey;
    }

    public BigInteger p() {
        return params.getP();
    }

    public BigInteger q() {
        return params.getQ();
    }

    public BigInteger privateExponent() {
        return params.getExponent();
    }

    RSAPrivateCrtKeyParameters params() {
        return params;
    }

    @Override
    public String toString() {
        return "private key of " + publicKey;
    }
}
