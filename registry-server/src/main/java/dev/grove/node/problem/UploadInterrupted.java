package dev.grove.node.problem;

import java.util.Objects;

/**
 * A body stream that failed before its end (broken framing, a closed connection, a stalled client); the cause is the
 * stream's own failure. Nothing of the body was kept.
 */
public final class UploadInterrupted extends NodeFailure {

    public UploadInterrupted(Throwable cause) {
        super("the body stopped before its end: " + Objects.requireNonNull(cause, "cause"), cause);
    }
}
