package dev.grove.federation;

/**
 * A peer proven to have misbehaved: {@link #evidence()} holds what shows it, checkable offline with the peer's key
 * ({@link EvidenceCheck}). The only reason a follower quarantines a peer.
 */
public final class Misbehaviour extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Evidence evidence;

    public Misbehaviour(Evidence evidence) {
        super(evidence.kind().wireName() + ": " + evidence.detail(), null, false, false);
        this.evidence = evidence;
    }

    public Evidence evidence() {
        return evidence;
    }
}
