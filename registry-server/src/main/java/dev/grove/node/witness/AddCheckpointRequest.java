package dev.grove.node.witness;

import dev.grove.crypto.StrictBase64;
import dev.grove.note.Note;
import dev.grove.note.NoteException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The body of {@code POST <prefix>/add-checkpoint} (c2sp.org/tlog-witness): {@code old <size>\n}, zero to 63 consistency
 * proof lines (one base64 hash each), an empty line, then the signed checkpoint note. {@link #parse} reads exactly what
 * {@link #toBytes()} writes; it checks the format only.
 *
 * @param oldSize the size of the checkpoint the client believes the witness cosigned last (0: none)
 * @param proof   consistency proof hashes from {@code oldSize} to the checkpoint's size (32 bytes each), copied
 * @param checkpoint the signed checkpoint note
 */
public record AddCheckpointRequest(long oldSize, List<byte[]> proof, Note checkpoint) {

    /** Most proof lines a client may send (spec: MUST NOT send more than 63). */
    public static final int MAX_PROOF_LINES = 63;

    public AddCheckpointRequest {
        if (oldSize < 0) {
            throw new IllegalArgumentException("old size must not be negative, got " + oldSize);
        }
        if (proof.size() > MAX_PROOF_LINES) {
            throw new IllegalArgumentException("at most 63 proof hashes, got " + proof.size());
        }
        List<byte[]> copy = new ArrayList<>(proof.size());
        for (byte[] h : proof) {
            if (h.length != 32) {
                throw new IllegalArgumentException("proof hashes have 32 bytes, got " + h.length);
            }
            copy.add(h.clone());
        }
        proof = Collections.unmodifiableList(copy);
    }

    @Override
    public List<byte[]> proof() {
        List<byte[]> out = new ArrayList<>(proof.size());
        proof.forEach(h -> out.add(h.clone()));
        return out;
    }

    /**
     * Parses a request body.
     *
     * @throws WitnessException (400) naming the first rule the body breaks
     */
    public static AddCheckpointRequest parse(byte[] body) throws WitnessException {
        int pos = 0;
        int end = lineEnd(body, pos, "old size");
        String oldLine = new String(body, pos, end - pos, StandardCharsets.US_ASCII);
        if (!oldLine.startsWith("old ")) {
            throw WitnessException.badRequest("request must start with the line 'old <size>'");
        }
        long oldSize = parseSize(oldLine.substring(4));
        pos = end + 1;
        List<byte[]> proof = new ArrayList<>();
        while (true) {
            end = lineEnd(body, pos, "consistency proof");
            if (end == pos) {
                pos = end + 1;
                break;
            }
            if (proof.size() == MAX_PROOF_LINES) {
                throw WitnessException.badRequest("request has more than 63 consistency proof lines");
            }
            byte[] hash;
            try {
                hash = StrictBase64.decode(new String(body, pos, end - pos, StandardCharsets.US_ASCII));
            } catch (IllegalArgumentException e) {
                hash = null;
            }
            if (hash == null || hash.length != 32) {
                throw WitnessException.badRequest("consistency proof line " + (proof.size() + 1)
                        + " is not the base64 of a 32-byte hash");
            }
            proof.add(hash);
            pos = end + 1;
        }
        byte[] note = new byte[body.length - pos];
        System.arraycopy(body, pos, note, 0, note.length);
        Note checkpoint;
        try {
            checkpoint = Note.parse(note);
        } catch (NoteException e) {
            throw WitnessException.badRequest("checkpoint: " + e.getMessage());
        }
        return new AddCheckpointRequest(oldSize, proof, checkpoint);
    }

    private static int lineEnd(byte[] body, int from, String what) throws WitnessException {
        for (int i = from; i < body.length; i++) {
            if (body[i] == '\n') {
                return i;
            }
        }
        throw WitnessException.badRequest("request ends inside the " + what + " lines; an empty line and the checkpoint"
                + " must follow");
    }

    private static long parseSize(String s) throws WitnessException {
        boolean ok = !s.isEmpty() && s.length() <= 19 && (s.length() == 1 || s.charAt(0) != '0');
        for (int i = 0; ok && i < s.length(); i++) {
            ok = s.charAt(i) >= '0' && s.charAt(i) <= '9';
        }
        if (ok && s.length() == 19 && s.compareTo("9223372036854775807") > 0) {
            ok = false;
        }
        if (!ok) {
            throw WitnessException.badRequest("old size is not a decimal number without leading zeros: '"
                    + (s.length() > 40 ? s.substring(0, 37) + "..." : s) + "'");
        }
        return Long.parseLong(s);
    }

    /** The body as it travels. */
    public byte[] toBytes() {
        StringBuilder sb = new StringBuilder("old ").append(oldSize).append('\n');
        for (byte[] h : proof) {
            sb.append(StrictBase64.encode(h)).append('\n');
        }
        sb.append('\n').append(checkpoint);
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
