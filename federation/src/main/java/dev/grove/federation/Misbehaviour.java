package dev.grove.federation;

/** A peer caught misbehaving; {@link #evidence()} holds what shows it. */
public final class Misbehaviour extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Evidence evidence;

    public Misbehaviour(Evidence evidence) {
        super(evidence.kind().wireName() + ": " + evidence.detail(), null, false, false);
        this.evidence = evidence;
    }

    public static Misbehaviour of(Evidence.Kind kind, String detail, String... statements) {
        return new Misbehaviour(Evidence.of(kind, detail, statements));
    }

    public Evidence evidence() {
        return evidence;
    }
}
