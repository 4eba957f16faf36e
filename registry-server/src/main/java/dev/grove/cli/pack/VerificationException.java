package dev.grove.cli.pack;

/**
 * A package that must not be trusted or used: a signature, digest, size or file that does not match what was signed, or a
 * document that does not parse. The message names the first thing that failed and where.
 */
public final class VerificationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public VerificationException(String message) {
        super(message);
    }

    public VerificationException(String message, Throwable cause) {
        super(message, cause);
    }
}
