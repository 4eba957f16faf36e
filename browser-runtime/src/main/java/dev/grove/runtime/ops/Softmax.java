package dev.grove.runtime.ops;

/**
 * Softmax, max-subtracted: {@code m = max_i x_i}; {@code e_i = exp(x_i - m)} ({@link DetMath#exp}, the difference
 * rounded to float first); {@code s = Σ e_i}; {@code y_i = e_i / s}.
 */
public final class Softmax {
    private Softmax() {
    }

    /** Softmax of a whole vector. */
    public static float[] apply(float[] x) {
        float[] y = new float[x.length];
        applyRange(x, 0, x.length, y, 0);
        return y;
    }

    /** Softmax of each row of a {@code [rows, n]} matrix. */
    public static float[] applyRows(float[] x, int rows, int n) {
        Checks.positive(rows, "rows");
        Checks.positive(n, "n");
        Checks.length(x, (long) rows * n, "input [" + rows + ", " + n + "]");
        float[] y = new float[x.length];
        for (int r = 0; r < rows; r++) {
            applyRange(x, r * n, n, y, r * n);
        }
        return y;
    }

    /** Softmax of {@code x[from, from + n)} written to {@code y[to, to + n)}. */
    static void applyRange(float[] x, int from, int n, float[] y, int to) {
        if (n == 0) {
            return;
        }
        float m = x[from];
        for (int i = 1; i < n; i++) {
            if (x[from + i] > m) {
                m = x[from + i];
            }
        }
        float s = 0f;
        for (int i = 0; i < n; i++) {
            float e = DetMath.exp(x[from + i] - m);
            y[to + i] = e;
            s += e;
        }
        for (int i = 0; i < n; i++) {
            y[to + i] = y[to + i] / s;
        }
    }
}
