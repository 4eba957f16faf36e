package dev.grove.runtime.web;

/** A package was refused: its message says which check failed, and nothing of the package was run. */
public final class VerificationException extends Exception {
    private final String check;
    private transient Report report;

    public VerificationException(String check, String message) {
        super(check + ": " + message);
        this.check = check;
    }

    public VerificationException(String check, String message, Throwable cause) {
        super(check + ": " + message, cause);
        this.check = check;
    }

    /** The checks made up to and including the failed one, or null when the failure came before any check. */
    public Report report() {
        return report;
    }

    VerificationException withReport(Report r) {
        this.report = r;
        return this;
    }

    /** The name of the check that failed, e.g. {@code signatures} or {@code artifact}. */
    public String check() {
        return check;
    }
}
