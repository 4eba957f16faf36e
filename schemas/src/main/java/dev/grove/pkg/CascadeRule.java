package dev.grove.pkg;

/** How a cascade member's probabilities decide whether it answers or escalates to the next member. */
public enum CascadeRule {
    /** The member answers when its highest probability is at least its threshold. */
    TOP_PROBABILITY("top-probability"),
    /** The member answers when its highest probability exceeds the second highest by at least its threshold. */
    MARGIN("margin");

    private final String wireName;

    CascadeRule(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** @throws IllegalArgumentException for a rule not in the protocol */
    public static CascadeRule fromWire(String name) {
        for (CascadeRule r : values()) {
            if (r.wireName.equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown cascade rule '" + PackageName.abbreviate(name)
                + "' (expected top-probability or margin)");
    }

    /**
     * The confidence this rule compares with a threshold, in float arithmetic so that every runtime gets the same bits
     * from the same probabilities.
     */
    public float score(float[] probabilities) {
        float top = Float.NEGATIVE_INFINITY;
        float second = Float.NEGATIVE_INFINITY;
        for (float p : probabilities) {
            if (p > top) {
                second = top;
                top = p;
            } else if (p > second) {
                second = p;
            }
        }
        if (this == TOP_PROBABILITY || second == Float.NEGATIVE_INFINITY) {
            return top;
        }
        return top - second;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
