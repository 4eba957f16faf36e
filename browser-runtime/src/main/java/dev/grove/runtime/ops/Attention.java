package dev.grove.runtime.ops;

/**
 * Scaled dot-product attention (Vaswani et al. 2017), single- and multi-head, with an optional causal mask.
 *
 * <p>Single head, {@code q}, {@code k}, {@code v} each {@code [T, d]}: with {@code scale = 1f / sqrt(d)} (float),
 * for each query {@code i} the visible keys are {@code j < T}, or {@code j ≤ i} when causal;
 * {@code s_j = (Σ_c q[i, c] * k[j, c]) * scale}; {@code p = softmax(s)} over the visible keys only ({@link Softmax});
 * {@code out[i, c] = Σ_j p_j * v[j, c]} over the visible keys in increasing {@code j}.
 *
 * <p>Multi-head, {@code q}, {@code k}, {@code v} each {@code [T, D]} (already projected), {@code H} heads of width
 * {@code d = D / H}: head {@code h} is single-head attention on columns {@code [h*d, (h+1)*d)} of q, k and v, and writes
 * the same columns of the {@code [T, D]} output (the "concatenation" of the heads). The output projection is a separate
 * {@link Dense} layer.
 */
public final class Attention {
    private Attention() {
    }

    /** Single-head attention. */
    public static float[] scaledDotProduct(float[] q, float[] k, float[] v, int t, int d, boolean causal) {
        return multiHead(q, k, v, t, 1, d, causal);
    }

    /** Multi-head attention over {@code heads} column groups. */
    public static float[] multiHead(float[] q, float[] k, float[] v, int t, int heads, int dModel, boolean causal) {
        Checks.positive(t, "sequence length");
        Checks.positive(heads, "heads");
        Checks.positive(dModel, "model width");
        if (dModel % heads != 0) {
            throw new IllegalArgumentException("model width " + dModel + " is not a multiple of " + heads + " heads");
        }
        long size = (long) t * dModel;
        Checks.length(q, size, "q [" + t + ", " + dModel + "]");
        Checks.length(k, size, "k [" + t + ", " + dModel + "]");
        Checks.length(v, size, "v [" + t + ", " + dModel + "]");
        int d = dModel / heads;
        float scale = 1f / DetMath.sqrt(d);
        float[] out = new float[t * dModel];
        float[] scores = new float[t];
        float[] p = new float[t];
        for (int h = 0; h < heads; h++) {
            int col = h * d;
            for (int i = 0; i < t; i++) {
                int visible = causal ? i + 1 : t;
                int qo = i * dModel + col;
                for (int j = 0; j < visible; j++) {
                    int ko = j * dModel + col;
                    float acc = 0f;
                    for (int c = 0; c < d; c++) {
                        acc += q[qo + c] * k[ko + c];
                    }
                    scores[j] = acc * scale;
                }
                Softmax.applyRange(scores, 0, visible, p, 0);
                int oo = i * dModel + col;
                for (int j = 0; j < visible; j++) {
                    float pj = p[j];
                    int vo = j * dModel + col;
                    for (int c = 0; c < d; c++) {
                        out[oo + c] += pj * v[vo + c];
                    }
                }
            }
        }
        return out;
    }
}
