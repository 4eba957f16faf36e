package dev.grove.runtime.breed;

/** An operator refused its inputs (wrong architecture, mismatched parents, invalid parameter); the message says which. */
public final class BreedException extends Exception {
    private static final long serialVersionUID = 1L;

    public BreedException(String message) {
        super(message);
    }

    public BreedException(String message, Throwable cause) {
        super(message, cause);
    }
}
