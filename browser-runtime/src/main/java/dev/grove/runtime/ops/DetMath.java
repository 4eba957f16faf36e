package dev.grove.runtime.ops;

/**
 * {@code exp} and {@code tanh} for {@code float}, reproducible on every platform.
 *
 * <p>Both are evaluated in binary64 using only addition, subtraction, multiplication and division (each correctly rounded
 * by IEEE 754 everywhere) and rounded once to binary32. Their error before that final rounding is below 1e-15 relative, so
 * the result is the correctly rounded {@code float} except in rare near-halfway cases, and it is the same on the JVM, in
 * WebAssembly and in a JavaScript port of these few lines.
 *
 * <p>exp: {@code k = floor(x / ln2 + 0.5)}, {@code r = (x - k * LN2_HI) - k * LN2_LO} (Cody–Waite, fdlibm's split of ln 2),
 * {@code e^r} by its Taylor polynomial of degree 13 in Horner form, times {@code 2^k} built from the exponent bits.
 * tanh: odd; {@code |x| > 10} gives ±1; {@code |x| < 0.01} uses {@code x - x³/3 + 2x⁵/15 - 17x⁷/315}; otherwise
 * {@code (1 - e) / (1 + e)} with {@code e = exp(-2|x|)}, all in binary64.
 */
public final class DetMath {
    private DetMath() {
    }

    private static final double INV_LN2 = 1.44269504088896338700e+00;
    private static final double LN2_HI = 6.93147180369123816490e-01;
    private static final double LN2_LO = 1.90821492927058770002e-10;

    /** e^x rounded to float; +∞ above about 88.72, 0 below about -103.97, NaN for NaN. */
    public static float exp(float x) {
        if (x != x) {
            return x;
        }
        if (x > 89f) {
            return Float.POSITIVE_INFINITY;
        }
        if (x < -104f) {
            return 0f;
        }
        return (float) expDouble(x);
    }

    /** e^x in binary64 for {@code -745 < x < 709} (the range used here is far smaller). */
    static double expDouble(double x) {
        double kd = Math.floor(x * INV_LN2 + 0.5);
        int k = (int) kd;
        double r = (x - kd * LN2_HI) - kd * LN2_LO;
        double p = 1.0 / 6227020800.0; // 1/13!
        p = p * r + 1.0 / 479001600.0; // 1/12!
        p = p * r + 1.0 / 39916800.0;
        p = p * r + 1.0 / 3628800.0;
        p = p * r + 1.0 / 362880.0;
        p = p * r + 1.0 / 40320.0;
        p = p * r + 1.0 / 5040.0;
        p = p * r + 1.0 / 720.0;
        p = p * r + 1.0 / 120.0;
        p = p * r + 1.0 / 24.0;
        p = p * r + 1.0 / 6.0;
        p = p * r + 0.5;
        p = p * r + 1.0;
        p = p * r + 1.0;
        return p * twoTo(k);
    }

    /** 2^k exactly, for -1022 ≤ k ≤ 1023. */
    private static double twoTo(int k) {
        return Double.longBitsToDouble((long) (k + 1023) << 52);
    }

    /** tanh(x) rounded to float. */
    public static float tanh(float x) {
        if (x != x) {
            return x;
        }
        double a = Math.abs((double) x);
        double t;
        if (a > 10.0) {
            t = 1.0;
        } else if (a < 0.01) {
            double a2 = a * a;
            t = a * (1.0 - a2 * (1.0 / 3.0 - a2 * (2.0 / 15.0 - a2 * (17.0 / 315.0))));
        } else {
            double e = expDouble(-2.0 * a);
            t = (1.0 - e) / (1.0 + e);
        }
        return (float) (x < 0 ? -t : t);
    }

    /** The correctly rounded float square root. */
    public static float sqrt(float x) {
        return (float) Math.sqrt(x);
    }
}
