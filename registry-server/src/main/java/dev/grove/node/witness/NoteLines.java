package dev.grove.node.witness;

import dev.grove.note.Note;
import dev.grove.note.NoteException;
import dev.grove.note.NoteSignature;
import java.util.List;

/** Signature lines read on their own (a witness's response body, a stored cosignature), through the note parser. */
final class NoteLines {

    private NoteLines() {
    }

    /**
     * The signature lines of {@code lines} (each {@code — <name> <base64>\n}), parsed as they would be after
     * {@code text} and a blank line.
     *
     * @throws NoteException when a line is malformed, repeated, or there is none
     */
    static List<NoteSignature> parse(String text, String lines) throws NoteException {
        return Note.parse(text + "\n" + lines).signatures();
    }

    /** One stored signature line (without its newline). */
    static NoteSignature parseLine(String line) throws NoteException {
        return parse("x\n", line + "\n").get(0);
    }
}
