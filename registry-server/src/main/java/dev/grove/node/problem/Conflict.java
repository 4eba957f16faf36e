package dev.grove.node.problem;

/** The request lost a race with another change, or was prepared against state that has changed since (a keyset sequence, a concurrent publish); fetching again and retrying can succeed. */
public final class Conflict extends NodeFailure {

    public Conflict(String message) {
        super(message, null);
    }

    public Conflict(String message, Throwable cause) {
        super(message, cause);
    }
}
