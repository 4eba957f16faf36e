package dev.grove.node.problem;

/** What the request names is not on this node (a namespace, a version, a blob). */
public final class NotFound extends NodeFailure {

    public NotFound(String message) {
        super(message, null);
    }

    public NotFound(String message, Throwable cause) {
        super(message, cause);
    }
}
