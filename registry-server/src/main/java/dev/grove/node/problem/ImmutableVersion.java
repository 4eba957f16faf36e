package dev.grove.node.problem;

/** The request would change content that never changes: a published version, or a statement that names other content than the version holds. */
public final class ImmutableVersion extends NodeFailure {

    public ImmutableVersion(String message) {
        super(message, null);
    }

    public ImmutableVersion(String message, Throwable cause) {
        super(message, cause);
    }
}
