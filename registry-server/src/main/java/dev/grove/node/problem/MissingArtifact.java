package dev.grove.node.problem;

/** A contract names an artifact whose bytes are not in the blob store, or not at the size it says. */
public final class MissingArtifact extends NodeFailure {

    public MissingArtifact(String message) {
        super(message, null);
    }

    public MissingArtifact(String message, Throwable cause) {
        super(message, cause);
    }
}
