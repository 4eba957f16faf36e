package dev.grove.runtime.ops;

/**
 * Layer normalisation over the last dimension of a {@code [rows, n]} matrix, with learned {@code gamma} and {@code beta}
 * ({@code [n]} each; PyTorch's {@code weight} and {@code bias}). Per row, in float:
 * {@code mean = (Σ x_i) / n}; {@code d_i = x_i - mean}; {@code var = (Σ d_i * d_i) / n} (population variance);
 * {@code inv = 1f / sqrt(var + eps)}; {@code y_i = d_i * inv * gamma_i + beta_i} (left to right).
 */
public final class LayerNorm {
    private LayerNorm() {
    }

    /** PyTorch's default epsilon. */
    public static final float DEFAULT_EPS = 1e-5f;

    public static float[] apply(float[] x, int rows, int n, float[] gamma, float[] beta, float eps) {
        Checks.positive(rows, "rows");
        Checks.positive(n, "n");
        Checks.length(x, (long) rows * n, "input [" + rows + ", " + n + "]");
        Checks.length(gamma, n, "gamma");
        Checks.length(beta, n, "beta");
        if (!(eps >= 0f)) {
            throw new IllegalArgumentException("eps must be non-negative, got " + eps);
        }
        float[] y = new float[x.length];
        float fn = n;
        for (int r = 0; r < rows; r++) {
            int o = r * n;
            float sum = 0f;
            for (int i = 0; i < n; i++) {
                sum += x[o + i];
            }
            float mean = sum / fn;
            float sq = 0f;
            for (int i = 0; i < n; i++) {
                float d = x[o + i] - mean;
                sq += d * d;
            }
            float var = sq / fn;
            float inv = 1f / DetMath.sqrt(var + eps);
            for (int i = 0; i < n; i++) {
                y[o + i] = (x[o + i] - mean) * inv * gamma[i] + beta[i];
            }
        }
        return y;
    }
}
