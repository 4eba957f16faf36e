package dev.grove.blind;

import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.generators.MGF1BytesGenerator;
import org.bouncycastle.crypto.params.MGFParameters;

/**
 * EMSA-PSS encoding and its consistency check (RFC 8017 sections 9.1.1 and 9.1.2) with SHA-384, MGF1-SHA-384 and a
 * 48-byte salt, on BouncyCastle's {@code SHA384Digest} and {@code MGF1BytesGenerator}.
 *
 * <p>Written out rather than taken from BouncyCastle's {@code PSSSigner}, whose key parameters implement
 * {@code javax.security.auth.Destroyable}, a class TeaVM does not have: the browser could not compile it. The tests
 * cross-check both directions against {@code PSSSigner}.
 */
final class Pss {

    static final int HASH_BYTES = 48;

    private Pss() {
    }

    /** EMSA-PSS-ENCODE(message, emBits) with {@code salt}. */
    static byte[] encode(byte[] message, int emBits, byte[] salt) {
        int emLen = (emBits + 7) / 8;
        int sLen = salt.length;
        if (emLen < HASH_BYTES + sLen + 2) {
            throw new IllegalArgumentException("the key is too small for PSS with SHA-384");
        }
        byte[] mHash = hash(message);
        byte[] h = hash(new byte[8], mHash, salt);
        byte[] db = new byte[emLen - HASH_BYTES - 1];
        db[emLen - sLen - HASH_BYTES - 2] = 0x01;
        System.arraycopy(salt, 0, db, db.length - sLen, sLen);
        xor(db, mgf1(h, db.length));
        db[0] &= (byte) (0xff >>> (8 * emLen - emBits));
        byte[] em = new byte[emLen];
        System.arraycopy(db, 0, em, 0, db.length);
        System.arraycopy(h, 0, em, db.length, HASH_BYTES);
        em[emLen - 1] = (byte) 0xbc;
        return em;
    }

    /** EMSA-PSS-VERIFY(message, em, emBits) for a salt of {@code sLen} bytes: whether {@code em} is consistent. */
    static boolean consistent(byte[] message, byte[] em, int emBits, int sLen) {
        int emLen = (emBits + 7) / 8;
        if (em.length != emLen || emLen < HASH_BYTES + sLen + 2 || em[emLen - 1] != (byte) 0xbc) {
            return false;
        }
        int dbLen = emLen - HASH_BYTES - 1;
        int topBits = 8 * emLen - emBits;
        if ((em[0] & (0xff << (8 - topBits)) & 0xff) != 0) {
            return false;
        }
        byte[] db = new byte[dbLen];
        System.arraycopy(em, 0, db, 0, dbLen);
        byte[] h = new byte[HASH_BYTES];
        System.arraycopy(em, dbLen, h, 0, HASH_BYTES);
        xor(db, mgf1(h, dbLen));
        db[0] &= (byte) (0xff >>> topBits);
        int separator = emLen - HASH_BYTES - sLen - 2;
        int bad = db[separator] ^ 0x01;
        for (int i = 0; i < separator; i++) {
            bad |= db[i];
        }
        byte[] salt = new byte[sLen];
        System.arraycopy(db, dbLen - sLen, salt, 0, sLen);
        byte[] expected = hash(new byte[8], hash(message), salt);
        for (int i = 0; i < HASH_BYTES; i++) {
            bad |= expected[i] ^ h[i];
        }
        return bad == 0;
    }

    private static byte[] hash(byte[]... parts) {
        SHA384Digest digest = new SHA384Digest();
        for (byte[] part : parts) {
            digest.update(part, 0, part.length);
        }
        byte[] out = new byte[HASH_BYTES];
        digest.doFinal(out, 0);
        return out;
    }

    private static byte[] mgf1(byte[] seed, int length) {
        MGF1BytesGenerator mgf = new MGF1BytesGenerator(new SHA384Digest());
        mgf.init(new MGFParameters(seed));
        byte[] mask = new byte[length];
        mgf.generateBytes(mask, 0, length);
        return mask;
    }

    private static void xor(byte[] target, byte[] mask) {
        for (int i = 0; i < target.length; i++) {
            target[i] ^= mask[i];
        }
    }
}
