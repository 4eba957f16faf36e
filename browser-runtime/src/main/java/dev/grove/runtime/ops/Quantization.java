package dev.grove.runtime.ops;

/**
 * Symmetric int8 quantisation per output channel of an {@code [in, out]} dense weight, the input of
 * {@link Dense#applyInt8}. For each output column {@code j}: {@code m = max_i |w[i, j]|}; {@code scale[j] = m / 127f};
 * {@code wq[i, j] = clamp(rint(w[i, j] / scale[j]), -127, 127)} with {@code rint} rounding half to even. A column of zeros
 * gets scale 0 and zero weights. The value -128 is never produced, so the range is symmetric.
 *
 * <p>This is deterministic, so a node can re-run it to check a "quantize" lineage claim.
 */
public final class Quantization {
    private Quantization() {
    }

    /** Quantised weights and their per-column scales. Arrays are copied in and out. */
    public static final class Int8Weights {
        private final byte[] weights;
        private final float[] scales;

        public Int8Weights(byte[] weights, float[] scales) {
            this.weights = weights.clone();
            this.scales = scales.clone();
        }

        /** {@code [in, out]} row-major. */
        public byte[] weights() {
            return weights.clone();
        }

        /** {@code [out]}. */
        public float[] scales() {
            return scales.clone();
        }
    }

    public static Int8Weights int8PerOutputChannel(float[] w, int in, int out) {
        Checks.positive(in, "in");
        Checks.positive(out, "out");
        Checks.length(w, (long) in * out, "weight [" + in + ", " + out + "]");
        float[] scales = new float[out];
        byte[] q = new byte[in * out];
        for (int j = 0; j < out; j++) {
            float m = 0f;
            for (int i = 0; i < in; i++) {
                float a = Math.abs(w[i * out + j]);
                if (!(a <= Float.MAX_VALUE)) {
                    throw new IllegalArgumentException("weight (" + i + ", " + j + ") is not finite: " + w[i * out + j]);
                }
                if (a > m) {
                    m = a;
                }
            }
            float scale = m / 127f;
            scales[j] = scale;
            if (scale == 0f) {
                continue;
            }
            for (int i = 0; i < in; i++) {
                double r = Math.rint(w[i * out + j] / scale);
                q[i * out + j] = (byte) Math.max(-127, Math.min(127, (int) r));
            }
        }
        return new Int8Weights(q, scales);
    }

    /** The float weights {@code wq[i, j] * scale[j]} that an int8 layer stands for. */
    public static float[] dequantize(byte[] wq, float[] scales, int in, int out) {
        Checks.length(wq, (long) in * out, "int8 weight [" + in + ", " + out + "]");
        Checks.length(scales, out, "scale");
        float[] w = new float[in * out];
        for (int i = 0; i < in; i++) {
            for (int j = 0; j < out; j++) {
                w[i * out + j] = wq[i * out + j] * scales[j];
            }
        }
        return w;
    }
}
