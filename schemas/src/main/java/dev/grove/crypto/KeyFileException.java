package dev.grove.crypto;

/** A private key file that is malformed or inconsistent (its keyid or publicKey does not belong to its seed). */
public final class KeyFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KeyFileException(String message) {
        super(message);
    }

    public KeyFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
