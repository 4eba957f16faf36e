package dev.grove.note;

import dev.grove.crypto.Ed25519PrivateKey;
import java.nio.charset.StandardCharsets;

/**
 * A timestamped Ed25519 witness cosignature (https://c2sp.org/tlog-cosignature, signature type 0x04): the witness signs
 * {@code "cosignature/v1\ntime <timestamp>\n" || checkpoint text}, and the note signature bytes (after the key ID) are the
 * 8-byte big-endian timestamp followed by the 64-byte Ed25519 signature.
 *
 * @param name the witness key name
 * @param keyId the witness key ID, SHA-256(name || 0x0A || 0x04 || public key)[:4]
 * @param timestamp POSIX seconds at which the witness cosigned, 0 to 2^63-1
 */
public record Cosignature(String name, int keyId, long timestamp) {
    /** Signature bytes after the key ID: 8-byte timestamp and 64-byte Ed25519 signature. */
    public static final int SIGNATURE_LENGTH = 72;

    private static final String HEADER = "cosignature/v1\ntime ";

    /** The message a witness signs: {@code "cosignature/v1\ntime <timestamp>\n"} then the checkpoint text. */
    public static byte[] message(long timestamp, byte[] checkpointText) {
        if (timestamp < 0) {
            throw new IllegalArgumentException("cosignature timestamp must not be negative, got " + timestamp);
        }
        byte[] head = (HEADER + timestamp + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + checkpointText.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(checkpointText, 0, out, head.length, checkpointText.length);
        return out;
    }

    /**
     * The cosignature line of a witness over a checkpoint text at the given time.
     *
     * @param text the checkpoint note text, ending in a newline (no signature lines)
     */
    public static NoteSignature sign(String name, Ed25519PrivateKey key, long timestamp, String text) {
        Note.checkText(text);
        NoteVerifier v = NoteVerifier.cosignatureV1(name, key.publicKey());
        byte[] ed = key.sign(message(timestamp, text.getBytes(StandardCharsets.UTF_8)));
        byte[] sig = new byte[SIGNATURE_LENGTH];
        for (int i = 0; i < 8; i++) {
            sig[i] = (byte) (timestamp >>> (56 - 8 * i));
        }
        System.arraycopy(ed, 0, sig, 8, 64);
        return NoteSignature.of(name, v.keyId(), sig);
    }

    /**
     * Reads the timestamp of a cosignature line (without verifying it).
     *
     * @throws NoteException when the signature is not 72 bytes or the timestamp exceeds 2^63-1
     */
    public static Cosignature parse(NoteSignature signature) throws NoteException {
        byte[] sig = signature.signature();
        if (sig.length != SIGNATURE_LENGTH) {
            throw new NoteException("cosignature by " + signature.name() + " has " + sig.length + " bytes, expected "
                    + SIGNATURE_LENGTH);
        }
        long t = timestampOf(sig);
        if (t < 0) {
            throw new NoteException("cosignature by " + signature.name() + " has a timestamp above 2^63-1");
        }
        return new Cosignature(signature.name(), signature.keyId(), t);
    }

    /**
     * Verifies the cosignature of one witness on a note and returns it with its timestamp.
     *
     * @param witness a verifier of type {@link NoteVerifier#COSIGNATURE_V1}
     * @throws NoteException "no cosignature by key ..." or "invalid cosignature by key ..."
     */
    public static Cosignature verify(Note note, NoteVerifier witness) throws NoteException {
        if (witness.type() != NoteVerifier.COSIGNATURE_V1) {
            throw new IllegalArgumentException("not a cosignature/v1 verifier: " + witness);
        }
        return parse(witness.verify(note));
    }

    static long timestampOf(byte[] sig) {
        long t = 0;
        for (int i = 0; i < 8; i++) {
            t = (t << 8) | (sig[i] & 0xFF);
        }
        return t;
    }
}
