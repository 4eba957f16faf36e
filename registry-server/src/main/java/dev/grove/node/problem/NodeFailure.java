package dev.grove.node.problem;

/**
 * Why the node refuses what it was asked to do, as the feature that refused it knows it: one final subclass per concern.
 * The message is written for the person who sent the request and is the detail a client sees; the cause, when there is
 * one, is kept for the log and never sent. Only {@code dev.grove.node.http.ProblemFailureHandler} turns a failure into an
 * HTTP status. Like an answer, not a bug, it carries no stack trace.
 */
public abstract sealed class NodeFailure extends RuntimeException
        permits InvalidDocument, SignatureRejected, DigestMismatch, UploadInterrupted, ForbiddenSigner, NotFound,
        Conflict, ImmutableVersion, AmbiguousName, TooLarge, MissingArtifact, IncompatibleRelease, LineageNotReproduced,
        ReportRefused, StorageUnavailable, AdapterMismatch {

    NodeFailure(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
