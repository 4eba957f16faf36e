package dev.grove.node.problem;

import java.util.OptionalLong;

/** More bytes than the node accepts here (a blob, a log entry, a blob read into memory). */
public final class TooLarge extends NodeFailure {

    private final OptionalLong limit;

    /** @param limit the most bytes accepted, when the client should be told it */
    public TooLarge(String message, OptionalLong limit) {
        super(message, null);
        this.limit = limit;
    }

    public TooLarge(String message) {
        this(message, OptionalLong.empty());
    }

    /** The most bytes accepted, when the client should be told it. */
    public OptionalLong limit() {
        return limit;
    }
}
