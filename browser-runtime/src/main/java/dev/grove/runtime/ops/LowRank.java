package dev.grove.runtime.ops;

/**
 * A low-rank update of a dense matrix (LoRA, Hu et al. 2021): {@code W' = W + s · (B A)ᵀ} with {@code W}
 * {@code [in, out]} row-major, {@code A} {@code [rank, in]}, {@code B} {@code [out, rank]} (the shapes of PEFT's
 * {@code lora_A} / {@code lora_B}, which act on {@code W}'s transpose) and {@code s = alpha / rank}.
 *
 * <p>In a fixed order, so every platform gives the same floats: for each {@code i} and {@code j},
 * {@code acc = 0f; for k = 0 .. rank-1: acc += b[j, k] * a[k, i]; w'[i, j] = w[i, j] + s * acc}, each step one float
 * operation (no fused multiply-add).
 */
public final class LowRank {
    private LowRank() {
    }

    /** {@code alpha / rank} as one float division: the scale every implementation must use. */
    public static float scale(float alpha, int rank) {
        Checks.positive(rank, "rank");
        return alpha / (float) rank;
    }

    /** The updated matrix (a new array; {@code w} is not changed). */
    public static float[] apply(float[] w, int in, int out, float[] a, float[] b, int rank, float scale) {
        Checks.positive(in, "in");
        Checks.positive(out, "out");
        Checks.positive(rank, "rank");
        Checks.length(w, (long) in * out, "weight [" + in + ", " + out + "]");
        Checks.length(a, (long) rank * in, "lora_a [" + rank + ", " + in + "]");
        Checks.length(b, (long) out * rank, "lora_b [" + out + ", " + rank + "]");
        float[] y = new float[w.length];
        for (int i = 0; i < in; i++) {
            int row = i * out;
            for (int j = 0; j < out; j++) {
                float acc = 0f;
                int bo = j * rank;
                for (int k = 0; k < rank; k++) {
                    acc += b[bo + k] * a[k * in + i];
                }
                y[row + j] = w[row + j] + scale * acc;
            }
        }
        return y;
    }
}
