package dev.grove.blind;

import dev.grove.crypto.Hex;
import dev.grove.crypto.Sha256;
import java.math.BigInteger;

/**
 * An RSA public key of the blind-signature suite: modulus {@code n} and public exponent {@code e}.
 *
 * <p>Its key id is the lowercase hex SHA-256 of {@code I2OSP(len(n), 4) || n || I2OSP(len(e), 4) || e}, where {@code n}
 * and {@code e} are their minimal big-endian unsigned bytes (as the issuer document sends them) and {@code len} their
 * length in bytes. The length prefixes make the encoding injective.
 */
public final class BlindRsaPublicKey {

    /** The smallest modulus accepted (RFC 9474 requires at least 2048 bits). */
    public static final int MIN_BITS = 2048;
    /** The largest modulus accepted: larger keys only cost time on the client. */
    public static final int MAX_BITS = 4096;

    private final BigInteger n;
    private final BigInteger e;
    private final int modulusBytes;

    private BlindRsaPublicKey(BigInteger n, BigInteger e) {
        this.n = n;
        this.e = e;
        this.modulusBytes = (n.bitLength() + 7) / 8;
    }

    /**
     * @throws IllegalArgumentException unless {@code n} is odd and {@value #MIN_BITS}..{@value #MAX_BITS} bits long and
     *                                  {@code e} odd, at least 3 and below {@code n}
     */
    public static BlindRsaPublicKey of(BigInteger n, BigInteger e) {
        if (n.signum() <= 0 || !n.testBit(0) || n.bitLength() < MIN_BITS || n.bitLength() > MAX_BITS) {
            throw new IllegalArgumentException("an RSA modulus is odd and " + MIN_BITS + " to " + MAX_BITS
                    + " bits long, not " + n.bitLength() + " bits");
        }
        if (e.compareTo(BigInteger.valueOf(3)) < 0 || !e.testBit(0) || e.compareTo(n) >= 0) {
            throw new IllegalArgumentException("an RSA public exponent is odd, at least 3 and below n, not " + e);
        }
        return new BlindRsaPublicKey(n, e);
    }

    /** The key from the big-endian unsigned bytes of {@code n} and {@code e} (leading zero bytes are refused). */
    public static BlindRsaPublicKey fromBytes(byte[] n, byte[] e) {
        return of(unsigned(n, "n"), unsigned(e, "e"));
    }

    private static BigInteger unsigned(byte[] bytes, String name) {
        if (bytes.length == 0 || bytes[0] == 0) {
            throw new IllegalArgumentException(name + " must be minimal big-endian bytes (no leading zero byte)");
        }
        return new BigInteger(1, bytes);
    }

    public BigInteger modulus() {
        return n;
    }

    public BigInteger exponent() {
        return e;
    }

    /** {@code kLen}: the length of the modulus, of a blinded message and of a signature, in bytes. */
    public int modulusBytes() {
        return modulusBytes;
    }

    /** The minimal big-endian unsigned bytes of {@code n}. */
    public byte[] modulusBytesMinimal() {
        return minimal(n);
    }

    /** The minimal big-endian unsigned bytes of {@code e}. */
    public byte[] exponentBytesMinimal() {
        return minimal(e);
    }

    /** The key id (see the class comment): 64 lowercase hex digits. */
    public String keyId() {
        byte[] nb = minimal(n);
        byte[] eb = minimal(e);
        byte[] encoded = new byte[8 + nb.length + eb.length];
        putLength(encoded, 0, nb.length);
        System.arraycopy(nb, 0, encoded, 4, nb.length);
        putLength(encoded, 4 + nb.length, eb.length);
        System.arraycopy(eb, 0, encoded, 8 + nb.length, eb.length);
        return Hex.encode(Sha256.of(encoded).bytes());
    }

    private static void putLength(byte[] out, int at, int length) {
        out[at] = (byte) (length >>> 24);
        out[at + 1] = (byte) (length >>> 16);
        out[at + 2] = (byte) (length >>> 8);
        out[at + 3] = (byte) length;
    }

    static byte[] minimal(BigInteger x) {
        byte[] b = x.toByteArray();
        if (b.length > 1 && b[0] == 0) {
            byte[] trimmed = new byte[b.length - 1];
            System.arraycopy(b, 1, trimmed, 0, trimmed.length);
            return trimmed;
        }
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlindRsaPublicKey k && k.n.equals(n) && k.e.equals(e);
    }

    @Override
    public int hashCode() {
        return n.hashCode() * 31 + e.hashCode();
    }

    @Override
    public String toString() {
        return "RSA-" + n.bitLength() + " blind-signature key " + keyId();
    }
}
