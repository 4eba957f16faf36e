package dev.grove.note;

import dev.grove.crypto.StrictBase64;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A signed note (https://c2sp.org/signed-note): a text ending in a newline, a blank line, and one or more signature
 * lines {@code — <key name> <base64>}. {@link #parse} checks the format only; {@link NoteVerifier} checks signatures.
 * {@link #toString()} prints exactly the bytes {@link #parse} read.
 */
public final class Note {
    /** Most signatures a note may carry (the spec requires accepting at least 16; Go's note package stops at 100). */
    public static final int MAX_SIGNATURES = 100;
    /** Largest note accepted, in bytes. */
    public static final int MAX_SIZE = 1 << 20;

    private static final byte[] SIGNATURE_PREFIX = "\u2014 ".getBytes(StandardCharsets.UTF_8);

    private final String text;
    private final List<NoteSignature> signatures;

    private Note(String text, List<NoteSignature> signatures) {
        this.text = text;
        this.signatures = signatures;
    }

    /**
     * A note of the given text and signatures.
     *
     * @throws IllegalArgumentException when the text is empty, does not end in a newline, has a control character other
     *     than newline, or when the signatures repeat one another or are too many
     */
    public static Note of(String text, List<NoteSignature> signatures) {
        checkText(text);
        if (signatures.size() > MAX_SIGNATURES) {
            throw new IllegalArgumentException("a note carries at most 100 signatures, got " + signatures.size());
        }
        List<NoteSignature> copy = new ArrayList<>(signatures);
        for (int i = 0; i < copy.size(); i++) {
            if (copy.indexOf(copy.get(i)) != i) {
                throw new IllegalArgumentException("repeated signature " + copy.get(i).line());
            }
        }
        return new Note(text, Collections.unmodifiableList(copy));
    }

    /** An unsigned note: the starting point for {@link NoteSigner#sign(Note)}. */
    public static Note unsigned(String text) {
        return of(text, List.of());
    }

    static void checkText(String text) {
        if (text.isEmpty() || text.charAt(text.length() - 1) != '\n') {
            throw new IllegalArgumentException("note text must end with a newline");
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < 0x20 && text.charAt(i) != '\n') {
                throw new IllegalArgumentException("note text contains control character U+"
                        + NoteText.hex4(text.charAt(i)));
            }
        }
        if (NoteText.unpairedSurrogate(text) >= 0) {
            throw new IllegalArgumentException("note text has an unpaired surrogate");
        }
    }

    /**
     * Parses a signed note.
     *
     * @throws NoteException naming the first rule the note breaks
     */
    public static Note parse(String note) throws NoteException {
        int bad = NoteText.unpairedSurrogate(note);
        if (bad >= 0) {
            throw new NoteException("note is not valid UTF-8: unpaired surrogate at character " + bad);
        }
        return parse(note.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Parses a signed note from its bytes.
     *
     * @throws NoteException naming the first rule the note breaks
     */
    public static Note parse(byte[] note) throws NoteException {
        if (note.length > MAX_SIZE) {
            throw new NoteException("note has " + note.length + " bytes, at most " + MAX_SIZE + " are accepted");
        }
        int bad = NoteText.invalidUtf8(note);
        if (bad >= 0) {
            throw new NoteException("note is not valid UTF-8 at byte " + bad);
        }
        for (int i = 0; i < note.length; i++) {
            if ((note[i] & 0xFF) < 0x20 && note[i] != '\n') {
                throw new NoteException("note contains control character U+" + NoteText.hex4(note[i] & 0xFF)
                        + " at byte " + i);
            }
        }
        if (note.length == 0 || note[note.length - 1] != '\n') {
            throw new NoteException("note does not end with a newline");
        }
        int split = lastBlankLine(note);
        if (split < 0) {
            throw new NoteException("note has no blank line before its signatures");
        }
        String text = new String(note, 0, split + 1, StandardCharsets.UTF_8);
        int pos = split + 2;
        if (pos == note.length) {
            throw new NoteException("note has no signature lines after its last blank line");
        }
        List<NoteSignature> signatures = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        int lineNumber = 0;
        while (pos < note.length) {
            lineNumber++;
            int end = pos;
            while (note[end] != '\n') {
                end++;
            }
            if (lineNumber > MAX_SIGNATURES) {
                throw new NoteException("note has more than " + MAX_SIGNATURES + " signatures");
            }
            String line = new String(note, pos, end - pos, StandardCharsets.UTF_8);
            int previous = lines.indexOf(line);
            if (previous >= 0) {
                throw new NoteException("signature line " + lineNumber + " repeats signature line " + (previous + 1));
            }
            lines.add(line);
            signatures.add(parseLine(note, pos, end, line, lineNumber));
            pos = end + 1;
        }
        return new Note(text, Collections.unmodifiableList(signatures));
    }

    /** Index of the first newline of the last "\n\n" in b, or -1. */
    private static int lastBlankLine(byte[] b) {
        for (int i = b.length - 2; i >= 0; i--) {
            if (b[i] == '\n' && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static NoteSignature parseLine(byte[] note, int start, int end, String line, int n) throws NoteException {
        boolean dash = end - start >= SIGNATURE_PREFIX.length;
        for (int i = 0; dash && i < SIGNATURE_PREFIX.length; i++) {
            dash = note[start + i] == SIGNATURE_PREFIX[i];
        }
        if (!dash) {
            throw new NoteException("signature line " + n + " does not start with an em dash (U+2014) and a space");
        }
        String rest = line.substring(2);
        int space = rest.indexOf(' ');
        if (space < 0) {
            throw new NoteException("signature line " + n + " has no space between key name and signature");
        }
        String name = rest.substring(0, space);
        String b64 = rest.substring(space + 1);
        if (!NoteText.isValidName(name)) {
            throw new NoteException("signature line " + n + " has an invalid key name '" + abbreviate(name) + "'");
        }
        byte[] raw;
        try {
            raw = StrictBase64.decode(b64);
        } catch (IllegalArgumentException e) {
            throw new NoteException("signature line " + n + " has a signature that is not canonical base64");
        }
        if (raw.length < 5) {
            throw new NoteException("signature line " + n + " has a signature of " + raw.length
                    + " bytes, at least 5 are needed");
        }
        int keyId = ((raw[0] & 0xFF) << 24) | ((raw[1] & 0xFF) << 16) | ((raw[2] & 0xFF) << 8) | (raw[3] & 0xFF);
        byte[] sig = new byte[raw.length - 4];
        System.arraycopy(raw, 4, sig, 0, sig.length);
        return NoteSignature.of(name, keyId, sig);
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    /** The signed text, ending in a newline (without the blank line that separates it from the signatures). */
    public String text() {
        return text;
    }

    /** The signatures in the order of their lines. */
    public List<NoteSignature> signatures() {
        return signatures;
    }

    /**
     * This note with one more signature; a signature by the same key (name and key ID) is replaced, as Go's
     * {@code note.Sign} does.
     */
    public Note withSignature(NoteSignature signature) {
        List<NoteSignature> out = new ArrayList<>();
        for (NoteSignature s : signatures) {
            if (!(s.name().equals(signature.name()) && s.keyId() == signature.keyId())) {
                out.add(s);
            }
        }
        out.add(signature);
        return of(text, out);
    }

    /** The note as it travels: text, blank line, one line per signature. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(text).append('\n');
        for (NoteSignature s : signatures) {
            sb.append(s.line()).append('\n');
        }
        return sb.toString();
    }

    /** {@link #toString()} as UTF-8. */
    public byte[] toBytes() {
        return toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Note n && n.text.equals(text) && n.signatures.equals(signatures);
    }

    @Override
    public int hashCode() {
        return text.hashCode() * 31 + signatures.hashCode();
    }
}
