package dev.grove.node.problem;

/** A release that breaks the interface of a neighbouring release of the same major version. */
public final class IncompatibleRelease extends NodeFailure {

    public IncompatibleRelease(String message) {
        super(message, null);
    }

    public IncompatibleRelease(String message, Throwable cause) {
        super(message, cause);
    }
}
