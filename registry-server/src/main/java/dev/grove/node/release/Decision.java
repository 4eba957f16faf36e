package dev.grove.node.release;

import dev.grove.dsse.Envelope;
import dev.grove.federation.ReleaseDecision;
import java.util.Objects;

/**
 * A release decision this node made: the signed statement and where its log holds it.
 *
 * @param digest   the package digest of the version decided on
 * @param sequence the decision's number among the decisions about that version (1 for the first)
 * @param previous the status before
 * @param status   the status the decision gives
 * @param envelope the statement ({@value #PAYLOAD_TYPE}), signed by the node's log key
 * @param logIndex the index of its {@code decision/v1} entry in the node's log
 */
public record Decision(String digest, long sequence, Status previous, Status status, Envelope envelope, long logIndex) {

    /** The DSSE payload type of a release decision. */
    public static final String PAYLOAD_TYPE = ReleaseDecision.PAYLOAD_TYPE;
    /** The {@code schema} of a decision payload. */
    public static final String SCHEMA = ReleaseDecision.SCHEMA;

    public Decision {
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(envelope, "envelope");
        if (previous == status) {
            throw new IllegalArgumentException("a decision changes the status, but both are " + status.wireName());
        }
    }
}
