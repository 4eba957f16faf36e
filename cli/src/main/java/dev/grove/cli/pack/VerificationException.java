package dev.grove.cli.pack;

/**
 * A package that must not be trusted or used: a signature, digest, size or file that does not match what was signed, or a
 * document that does not parse, in a package directory or a pulled bundle the CLI checks. The message names the first
 * thing that failed and where; the cause, when there is one, what the check tripped on. (The browser runtime's refusal is
 * {@code dev.grove.runtime.web.PackageRefusedException}.)
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
