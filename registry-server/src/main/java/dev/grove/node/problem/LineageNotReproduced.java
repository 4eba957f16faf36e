package dev.grove.node.problem;

/**
 * A lineage claim the node re-checked and found false (other weights or architecture), or one it cannot re-run because
 * its parameters are malformed; for a cascade, a member that is not on the node or does not fit the cascade.
 */
public final class LineageNotReproduced extends NodeFailure {

    public LineageNotReproduced(String message) {
        super(message, null);
    }

    public LineageNotReproduced(String message, Throwable cause) {
        super(message, cause);
    }
}
