package dev.grove.federation;

/** Evidence that does not prove what it claims; the message names the first thing that does not verify. */
public final class EvidenceException extends Exception {
    private static final long serialVersionUID = 1L;

    public EvidenceException(String message) {
        super(message, null, false, false);
    }
}
