package dev.grove.runtime.ops;

/**
 * Dense (fully connected) layers and matrix multiplication.
 *
 * <p>Float: {@code x} is {@code [rows, in]}, {@code w} is {@code [in, out]} row-major (element {@code (i, j)} at
 * {@code i * out + j}), {@code b} is {@code [out]} or {@code null}. For every row {@code r} and output {@code j}:
 * {@code acc = 0f; for i = 0 .. in-1: acc += x[r, i] * w[i, j]; y[r, j] = acc + b[j]} (no bias term when {@code b} is
 * null).
 *
 * <p>Int8, per output channel: {@code wq} is {@code [in, out]} signed bytes and {@code scale} is {@code [out]};
 * {@code acc = 0f; for i: acc += x[r, i] * (float) wq[i, j]; y[r, j] = acc * scale[j] + b[j]}. This equals the float layer
 * with {@code w[i, j] = wq[i, j] * scale[j]} up to rounding; see {@link Quantization} for how weights are quantised.
 */
public final class Dense {
    private Dense() {
    }

    /** {@code y = x W + b} for one input vector. */
    public static float[] apply(float[] x, float[] w, int in, int out, float[] b) {
        return apply(x, 1, w, in, out, b);
    }

    /** {@code Y = X W + b} for {@code rows} input vectors. */
    public static float[] apply(float[] x, int rows, float[] w, int in, int out, float[] b) {
        check(x, rows, in, out, b);
        Checks.length(w, (long) in * out, "weight [" + in + ", " + out + "]");
        float[] y = new float[rows * out];
        for (int r = 0; r < rows; r++) {
            int yo = r * out;
            int xo = r * in;
            // same per-element order as the definition: for each j the terms are added with i increasing
            for (int i = 0; i < in; i++) {
                float xi = x[xo + i];
                int wo = i * out;
                for (int j = 0; j < out; j++) {
                    y[yo + j] += xi * w[wo + j];
                }
            }
            if (b != null) {
                for (int j = 0; j < out; j++) {
                    y[yo + j] = y[yo + j] + b[j];
                }
            }
        }
        return y;
    }

    /** {@code C = A B} with {@code A} {@code [rows, inner]} and {@code B} {@code [inner, cols]}: a dense layer without bias. */
    public static float[] matmul(float[] a, int rows, int inner, float[] b, int cols) {
        return apply(a, rows, b, inner, cols, null);
    }

    /** The int8 dense layer for one input vector. */
    public static float[] applyInt8(float[] x, byte[] wq, float[] scale, int in, int out, float[] b) {
        return applyInt8(x, 1, wq, scale, in, out, b);
    }

    /** The int8 dense layer for {@code rows} input vectors. */
    public static float[] applyInt8(float[] x, int rows, byte[] wq, float[] scale, int in, int out, float[] b) {
        check(x, rows, in, out, b);
        Checks.length(wq, (long) in * out, "int8 weight [" + in + ", " + out + "]");
        Checks.length(scale, out, "scale");
        float[] y = new float[rows * out];
        for (int r = 0; r < rows; r++) {
            int yo = r * out;
            int xo = r * in;
            for (int i = 0; i < in; i++) {
                float xi = x[xo + i];
                int wo = i * out;
                for (int j = 0; j < out; j++) {
                    y[yo + j] += xi * (float) wq[wo + j];
                }
            }
            for (int j = 0; j < out; j++) {
                float v = y[yo + j] * scale[j];
                y[yo + j] = b != null ? v + b[j] : v;
            }
        }
        return y;
    }

    private static void check(float[] x, int rows, int in, int out, float[] b) {
        Checks.positive(rows, "rows");
        Checks.positive(in, "in");
        Checks.positive(out, "out");
        Checks.length(x, (long) rows * in, "input [" + rows + ", " + in + "]");
        if (b != null) {
            Checks.length(b, out, "bias");
        }
    }
}
