package dev.grove.note;

import dev.grove.crypto.Ed25519PublicKey;
import dev.grove.crypto.StrictBase64;
import java.nio.charset.StandardCharsets;

/**
 * Verifies note signatures by one key, given as a verifier key {@code <name>+<hex key ID>+<base64(type || public key)>}
 * (the form of Go's {@code note.NewVerifier}). Two signature types are supported: 0x01, Ed25519 over the note text
 * (C2SP signed-note), and 0x04, the timestamped Ed25519 cosignature of C2SP tlog-cosignature.
 *
 * <p>Following the spec, signatures by other keys (another name or another key ID) are ignored; a signature by this key
 * that fails makes the whole note fail; a note with no signature by this key fails.
 */
public final class NoteVerifier {
    /** Signature type of plain Ed25519 note signatures. */
    public static final int ED25519 = 0x01;
    /** Signature type of timestamped Ed25519 witness cosignatures (cosignature/v1). */
    public static final int COSIGNATURE_V1 = 0x04;

    private final String name;
    private final int type;
    private final Ed25519PublicKey publicKey;
    private final int keyId;

    private NoteVerifier(String name, int type, Ed25519PublicKey publicKey) {
        this.name = name;
        this.type = type;
        this.publicKey = publicKey;
        byte[] pub = publicKey.bytes();
        this.keyId = NoteText.keyId(name, type, pub);
    }

    /** A verifier of Ed25519 (type 0x01) signatures by the named key. */
    public static NoteVerifier ed25519(String name, Ed25519PublicKey key) {
        return create(name, ED25519, key);
    }

    /** A verifier of cosignature/v1 (type 0x04) cosignatures by the named witness key. */
    public static NoteVerifier cosignatureV1(String name, Ed25519PublicKey key) {
        return create(name, COSIGNATURE_V1, key);
    }

    private static NoteVerifier create(String name, int type, Ed25519PublicKey key) {
        if (!NoteText.isValidName(name)) {
            throw new IllegalArgumentException("invalid key name '" + name + "'");
        }
        return new NoteVerifier(name, type, key);
    }

    /**
     * Parses a verifier key {@code <name>+<8 lowercase hex digits>+<base64(type || 32-byte key)>}.
     *
     * @throws NoteException when the key is malformed, of an unsupported type, or its key ID does not match
     */
    public static NoteVerifier parse(String verifierKey) throws NoteException {
        int plus1 = verifierKey.indexOf('+');
        int plus2 = plus1 < 0 ? -1 : verifierKey.indexOf('+', plus1 + 1);
        if (plus2 < 0) {
            throw new NoteException("verifier key is not <name>+<key ID>+<key>: '" + abbreviate(verifierKey) + "'");
        }
        String name = verifierKey.substring(0, plus1);
        String hash = verifierKey.substring(plus1 + 1, plus2);
        String key = verifierKey.substring(plus2 + 1);
        if (!NoteText.isValidName(name)) {
            throw new NoteException("verifier key has an invalid name '" + abbreviate(name) + "'");
        }
        if (hash.length() != 8 || !isLowerHex(hash)) {
            throw new NoteException("verifier key ID must be 8 lowercase hex digits: '" + abbreviate(hash) + "'");
        }
        byte[] raw;
        try {
            raw = StrictBase64.decode(key);
        } catch (IllegalArgumentException e) {
            throw new NoteException("verifier key material is not canonical base64: '" + abbreviate(key) + "'");
        }
        if (raw.length == 0) {
            throw new NoteException("verifier key has no key material");
        }
        int type = raw[0] & 0xFF;
        if (type != ED25519 && type != COSIGNATURE_V1) {
            throw new NoteException("verifier key has unsupported signature type 0x" + NoteText.hex4(type).substring(2)
                    + " (supported: 0x01 Ed25519, 0x04 cosignature/v1)");
        }
        if (raw.length != 33) {
            throw new NoteException("verifier key has " + (raw.length - 1) + " bytes of Ed25519 key, expected 32");
        }
        byte[] pub = new byte[32];
        System.arraycopy(raw, 1, pub, 0, 32);
        Ed25519PublicKey publicKey;
        try {
            publicKey = Ed25519PublicKey.fromBytes(pub);
        } catch (IllegalArgumentException e) {
            throw new NoteException("verifier key is not a valid Ed25519 public key", e);
        }
        NoteVerifier v = new NoteVerifier(name, type, publicKey);
        if (!v.keyIdHex().equals(hash)) {
            throw new NoteException("verifier key ID " + hash + " does not match its name and key (expected "
                    + v.keyIdHex() + ")");
        }
        return v;
    }

    public String name() {
        return name;
    }

    /** {@link #ED25519} or {@link #COSIGNATURE_V1}. */
    public int type() {
        return type;
    }

    public Ed25519PublicKey publicKey() {
        return publicKey;
    }

    /** The key ID: the first 4 bytes of SHA-256(name || 0x0A || type || public key), big-endian. */
    public int keyId() {
        return keyId;
    }

    public String keyIdHex() {
        return NoteText.hex8(keyId);
    }

    /** True for a signature line by this key (same name and key ID); it may still fail to verify. */
    public boolean isKeyOf(NoteSignature signature) {
        return signature.name().equals(name) && signature.keyId() == keyId;
    }

    /**
     * Verifies the note's signature by this key and returns it.
     *
     * @throws NoteException "no signature by key {name}+{key ID}" when the note has none, or "invalid signature by key
     *     ..." when one does not verify
     */
    public NoteSignature verify(Note note) throws NoteException {
        NoteSignature found = null;
        byte[] text = note.text().getBytes(StandardCharsets.UTF_8);
        for (NoteSignature s : note.signatures()) {
            if (!isKeyOf(s)) {
                continue;
            }
            if (!verifies(text, s)) {
                throw new NoteException("invalid " + (type == COSIGNATURE_V1 ? "cosignature" : "signature") + " by key "
                        + name + "+" + keyIdHex());
            }
            if (found == null) {
                found = s;
            }
        }
        if (found == null) {
            throw new NoteException("no " + (type == COSIGNATURE_V1 ? "cosignature" : "signature") + " by key " + name
                    + "+" + keyIdHex());
        }
        return found;
    }

    /**
     * Parses and verifies a note against one verifier key in a single step; returns the parsed note.
     *
     * @throws NoteException when the note or the key is malformed, or the note has no valid signature by the key
     */
    public static Note verify(String note, String verifierKey) throws NoteException {
        NoteVerifier v = parse(verifierKey);
        Note n = Note.parse(note);
        v.verify(n);
        return n;
    }

    private boolean verifies(byte[] text, NoteSignature s) {
        byte[] sig = s.signature();
        if (type == ED25519) {
            return publicKey.verify(text, sig);
        }
        if (sig.length != Cosignature.SIGNATURE_LENGTH) {
            return false;
        }
        long timestamp = Cosignature.timestampOf(sig);
        if (timestamp < 0) {
            return false;
        }
        byte[] ed = new byte[64];
        System.arraycopy(sig, 8, ed, 0, 64);
        return publicKey.verify(Cosignature.message(timestamp, text), ed);
    }

    /** The verifier key string, {@code <name>+<hex key ID>+<base64(type || public key)>}. */
    @Override
    public String toString() {
        byte[] raw = new byte[33];
        raw[0] = (byte) type;
        System.arraycopy(publicKey.bytes(), 0, raw, 1, 32);
        return name + "+" + keyIdHex() + "+" + StrictBase64.encode(raw);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NoteVerifier v && v.name.equals(name) && v.type == type && v.publicKey.equals(publicKey);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + keyId;
    }

    private static boolean isLowerHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
