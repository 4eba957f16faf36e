package dev.grove.node.problem;

/** A document or parameter of the request that cannot be accepted as sent: not JSON, not matching its schema, not parsing, naming another thing than the path, or a path parameter that is not what it names. */
public final class InvalidDocument extends NodeFailure {

    public InvalidDocument(String message) {
        super(message, null);
    }

    public InvalidDocument(String message, Throwable cause) {
        super(message, cause);
    }
}
