package dev.grove.federation;

/** An entry of a peer's log breaks a rule; {@link #violation()} says which and what proving it needs. */
public final class RuleBroken extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Violation violation;

    public RuleBroken(Violation violation) {
        super(violation.kind().wireName() + ": " + violation.detail(), null, false, false);
        this.violation = violation;
    }

    public Violation violation() {
        return violation;
    }
}
