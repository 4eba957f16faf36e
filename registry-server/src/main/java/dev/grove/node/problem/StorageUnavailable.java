package dev.grove.node.problem;

import java.util.Objects;

/**
 * The service that holds the node's blobs (an S3-compatible store) could not be reached or failed; the cause, kept for
 * the log, is its own error. Nothing was stored. Answered 503: the client may retry.
 */
public final class StorageUnavailable extends NodeFailure {

    public StorageUnavailable(Throwable cause) {
        super("the node's blob storage is unavailable; retry in a few seconds", Objects.requireNonNull(cause, "cause"));
    }
}
