package dev.grove.runtime.model;

/** An architecture configuration that is invalid, or weights that do not fit the architecture. */
public final class ModelException extends Exception {
    private static final long serialVersionUID = 1L;

    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
