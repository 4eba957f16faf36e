package dev.grove.cli.client;

/**
 * A registry that could not be reached, or that answered with an error. {@link #status()} is 0 when no answer arrived
 * (connection refused, timeout); otherwise the HTTP status, with the {@code title} and {@code detail} of the node's
 * {@code application/problem+json} body when it sent one.
 */
public final class RegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String title;
    private final String detail;

    private RegistryException(int status, String title, String detail, Throwable cause) {
        super(detail == null || detail.isEmpty() ? title : title + ": " + detail, cause);
        this.status = status;
        this.title = title;
        this.detail = detail;
    }

    /** The node answered {@code status}; title and detail as it sent them (detail may be empty). */
    public static RegistryException problem(int status, String title, String detail) {
        return new RegistryException(status, title, detail, null);
    }

    /** No answer: the message says what was tried and why it failed. */
    public static RegistryException unreachable(String message, Throwable cause) {
        return new RegistryException(0, message, "", cause);
    }

    /** The HTTP status, or 0 when the node did not answer. */
    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return detail == null ? "" : detail;
    }

    /** True when the node refused the request (a 4xx answer), as opposed to being unreachable or failing itself. */
    public boolean isRefusal() {
        return status >= 400 && status < 500;
    }
}
