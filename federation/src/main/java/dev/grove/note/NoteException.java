package dev.grove.note;

/** A signed note or verifier key that does not follow C2SP signed-note, or a note whose signature does not verify. */
public final class NoteException extends Exception {
    private static final long serialVersionUID = 1L;

    public NoteException(String message) {
        super(message);
    }

    public NoteException(String message, Throwable cause) {
        super(message, cause);
    }
}
