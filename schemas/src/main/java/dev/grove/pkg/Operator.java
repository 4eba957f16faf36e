package dev.grove.pkg;

/** How a package was made from its parents; everything but {@link #TRAIN} must cite at least one parent. */
public enum Operator {
    TRAIN("train"),
    FINE_TUNE("fine-tune"),
    MERGE("merge"),
    DISTILL("distill"),
    QUANTIZE("quantize"),
    PRUNE("prune"),
    ADAPTER("adapter"),
    /** Routes each input through member packages, smallest first (the parents are the members, in order). */
    CASCADE("cascade");

    private final String wireName;

    Operator(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in lineage cards, e.g. "fine-tune". */
    public String wireName() {
        return wireName;
    }

    /** @throws IllegalArgumentException for a name not in the protocol */
    public static Operator fromWire(String name) {
        for (Operator o : values()) {
            if (o.wireName.equals(name)) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown operator '" + PackageName.abbreviate(name)
                + "' (expected one of train, fine-tune, merge, distill, quantize, prune, adapter, cascade)");
    }

    public boolean needsParents() {
        return this != TRAIN;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
