package dev.grove.runtime.ops;

/** Element-wise activations of op-set v1. */
public enum Activation {
    /** {@code max(0, x)} (and {@code relu(-0) = 0}, {@code relu(NaN) = NaN}). */
    RELU,
    /**
     * GELU, tanh approximation (Hendrycks &amp; Gimpel; PyTorch {@code approximate="tanh"}):
     * {@code 0.5f * x * (1f + tanh(0.7978846f * (x + 0.044715f * x * x * x)))}, evaluated left to right in float with
     * {@link DetMath#tanh}. {@code 0.7978846f} is {@code sqrt(2/π)} rounded to float.
     */
    GELU,
    /** {@link DetMath#tanh}. */
    TANH;

    static final float SQRT_2_OVER_PI = 0.7978846f;

    /** The activation of one value. */
    public float apply(float x) {
        switch (this) {
            case RELU:
                return x > 0f ? x : (x != x ? x : 0f);
            case GELU:
                return 0.5f * x * (1f + DetMath.tanh(SQRT_2_OVER_PI * (x + 0.044715f * x * x * x)));
            case TANH:
                return DetMath.tanh(x);
            default:
                throw new AssertionError(this);
        }
    }

    /** A new array with the activation applied to every element. */
    public float[] apply(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = apply(x[i]);
        }
        return y;
    }

    /** Applies the activation to every element of {@code x}, in place. */
    public void applyInPlace(float[] x) {
        for (int i = 0; i < x.length; i++) {
            x[i] = apply(x[i]);
        }
    }

    /** The activation named {@code relu}, {@code gelu} or {@code tanh} (case-insensitive), or {@code null}. */
    public static Activation byName(String name) {
        for (Activation a : values()) {
            if (a.name().equalsIgnoreCase(name)) {
                return a;
            }
        }
        return null;
    }
}
