package dev.grove.dsse;

/** An envelope that is not well-formed: missing fields, bad base64, no signatures or more than allowed. */
public final class EnvelopeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EnvelopeException(String message) {
        super(message);
    }

    public EnvelopeException(String message, Throwable cause) {
        super(message, cause);
    }
}
