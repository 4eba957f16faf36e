package dev.grove.dsse;

/**
 * A well-formed envelope that must not be trusted: wrong payload type, no signature by a trusted key, or a trusted key's
 * signature that does not verify.
 */
public final class SignatureException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SignatureException(String message) {
        super(message);
    }

    public SignatureException(String message, Throwable cause) {
        super(message, cause);
    }
}
