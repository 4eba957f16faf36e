package dev.grove.note;

import dev.grove.crypto.StrictBase64;
import java.util.Arrays;

/**
 * One signature line of a signed note, {@code — <key name> base64(key ID || signature)}: the key name, the 32-bit key ID
 * and the signature bytes that follow it. Parsed, not verified.
 */
public final class NoteSignature {
    private final String name;
    private final int keyId;
    private final byte[] signature;

    private NoteSignature(String name, int keyId, byte[] signature) {
        this.name = name;
        this.keyId = keyId;
        this.signature = signature;
    }

    /** @throws IllegalArgumentException when the name is not a valid key name or the signature is empty */
    public static NoteSignature of(String name, int keyId, byte[] signature) {
        if (!NoteText.isValidName(name)) {
            throw new IllegalArgumentException("invalid key name '" + name + "'");
        }
        if (signature.length == 0) {
            throw new IllegalArgumentException("empty signature");
        }
        return new NoteSignature(name, keyId, signature.clone());
    }

    public String name() {
        return name;
    }

    public int keyId() {
        return keyId;
    }

    /** The key ID as Go prints it in verifier keys: 8 lowercase hex digits. */
    public String keyIdHex() {
        return NoteText.hex8(keyId);
    }

    /** The signature bytes after the key ID. */
    public byte[] signature() {
        return signature.clone();
    }

    /** The base64 field of the line: base64(key ID || signature). */
    public String base64() {
        byte[] raw = new byte[4 + signature.length];
        raw[0] = (byte) (keyId >>> 24);
        raw[1] = (byte) (keyId >>> 16);
        raw[2] = (byte) (keyId >>> 8);
        raw[3] = (byte) keyId;
        System.arraycopy(signature, 0, raw, 4, signature.length);
        return StrictBase64.encode(raw);
    }

    /** The signature line without its newline: em dash, space, name, space, base64. */
    public String line() {
        return "\u2014 " + name + " " + base64();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NoteSignature s && s.name.equals(name) && s.keyId == keyId
                && Arrays.equals(s.signature, signature);
    }

    @Override
    public int hashCode() {
        return (name.hashCode() * 31 + keyId) * 31 + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return line();
    }
}
