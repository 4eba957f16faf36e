package dev.grove.tlog;

/** An inclusion or consistency proof that does not verify, or that cannot be generated from the hashes at hand. */
public final class ProofException extends Exception {
    private static final long serialVersionUID = 1L;

    public ProofException(String message) {
        super(message);
    }

    public ProofException(String message, Throwable cause) {
        super(message, cause);
    }
}
