package dev.grove.reports;

/**
 * Warner's randomized response for one yes/no answer, with epsilon-local differential privacy.
 *
 * <p>The sender keeps its true answer with probability {@code p = e^ε / (1 + e^ε)} and sends the opposite otherwise, so
 * a single stored answer says little about its sender, while the share of true "yes" answers over many senders is still
 * recovered: if {@code λ} is the observed share of "yes", the estimate is {@code (λ - (1 - p)) / (2p - 1)}.
 *
 * <p>Pure Java without reflection, so the browser runtime (TeaVM) randomizes with the very code the node estimates with.
 */
public final class RandomizedResponse {

    /** The epsilon Grove's reports use: ln 3, so an answer is kept with probability 3/4. */
    public static final double EPSILON = Math.log(3);

    /** z for a two-sided 95% interval. */
    public static final double Z95 = 1.959963984540054;

    private final double epsilon;
    private final double keep;

    private RandomizedResponse(double epsilon) {
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be a positive finite number, not " + epsilon);
        }
        this.epsilon = epsilon;
        this.keep = Math.exp(epsilon) / (1 + Math.exp(epsilon));
    }

    /** Randomized response with Grove's {@link #EPSILON}. */
    public static RandomizedResponse standard() {
        return new RandomizedResponse(EPSILON);
    }

    /** Randomized response with another epsilon (larger: more accurate, less private). */
    public static RandomizedResponse withEpsilon(double epsilon) {
        return new RandomizedResponse(epsilon);
    }

    public double epsilon() {
        return epsilon;
    }

    /** The probability that a sender keeps its true answer. */
    public double keepProbability() {
        return keep;
    }

    /**
     * The answer to send.
     *
     * @param truth the sender's true answer
     * @param uniform a uniformly random number in [0, 1) drawn for this answer only
     */
    public boolean randomize(boolean truth, double uniform) {
        if (!(uniform >= 0 && uniform < 1)) {
            throw new IllegalArgumentException("uniform must be in [0, 1), not " + uniform);
        }
        return uniform < keep ? truth : !truth;
    }

    /**
     * The share of true "yes" answers behind {@code yes} randomized "yes" answers out of {@code n}. The interval is the
     * Wilson score interval of the observed share (sound at small {@code n} and at 0 or n "yes"), mapped through the
     * estimator, which is linear and increasing; everything is clamped to [0, 1].
     *
     * @throws IllegalArgumentException when {@code n} is not positive or {@code yes} is not within [0, n]
     */
    public Estimate estimate(long yes, long n, double z, double confidence) {
        if (n <= 0 || yes < 0 || yes > n) {
            throw new IllegalArgumentException("need 0 <= yes <= n and n > 0, not yes=" + yes + " n=" + n);
        }
        double observed = (double) yes / n;
        double z2 = z * z;
        double denominator = 1 + z2 / n;
        double center = (observed + z2 / (2.0 * n)) / denominator;
        double half = z / denominator * Math.sqrt(observed * (1 - observed) / n + z2 / (4.0 * n * n));
        return new Estimate(clamp(unrandomize(observed)), clamp(unrandomize(center - half)),
                clamp(unrandomize(center + half)), n, confidence);
    }

    /** The true share of "yes" behind an observed share. */
    private double unrandomize(double observed) {
        return (observed - (1 - keep)) / (2 * keep - 1);
    }

    /** {@link #estimate(long, long, double, double)} at 95%. */
    public Estimate estimate95(long yes, long n) {
        return estimate(yes, n, Z95, 0.95);
    }

    private static double clamp(double x) {
        return Math.max(0, Math.min(1, x));
    }
}
