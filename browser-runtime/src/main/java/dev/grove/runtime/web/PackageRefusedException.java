package dev.grove.runtime.web;

/**
 * The browser runtime refused a package: its message says which check failed, its cause (when there is one) what the
 * check tripped on, and nothing of the package was run. (Named apart from the CLI's {@code dev.grove.cli.pack}
 * {@code VerificationException}, which refuses a package directory on disk.)
 */
public final class PackageRefusedException extends Exception {
    private final String check;
    private transient Report report;

    public PackageRefusedException(String check, String message) {
        super(check + ": " + message);
        this.check = check;
    }

    public PackageRefusedException(String check, String message, Throwable cause) {
        super(check + ": " + message, cause);
        this.check = check;
    }

    /** The checks made up to and including the failed one, or null when the failure came before any check. */
    public Report report() {
        return report;
    }

    PackageRefusedException withReport(Report r) {
        this.report = r;
        return this;
    }

    /** The name of the check that failed, e.g. {@code signatures} or {@code artifact}. */
    public String check() {
        return check;
    }
}
