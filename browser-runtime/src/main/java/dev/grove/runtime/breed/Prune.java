package dev.grove.runtime.breed;

import dev.grove.runtime.model.Architecture;
import dev.grove.runtime.model.TensorSpec;
import dev.grove.runtime.safetensors.SafetensorsFile;
import dev.grove.runtime.safetensors.SafetensorsWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Prune: magnitude pruning of every dense matrix to a target sparsity, layer by layer. For a matrix of {@code n} elements,
 * {@code k = floor(sparsity * n)} (the product in double) elements are set to zero: those with the smallest absolute
 * value, ties broken by the lower flat index. Biases, scales and every other tensor are copied bit for bit; the
 * architecture is unchanged (the zeros are stored, so the file keeps its size: the gain is in what a sparse format or
 * a compressor makes of it).
 */
public final class Prune {
    /** The method name recorded in the lineage card's parameters. */
    public static final String METHOD = "magnitude-per-layer";

    private Prune() {
    }

    /** The child and the sparsity reached in each dense matrix. */
    public record Result(Bred child, Map<String, Double> sparsity) {
    }

    public static Result apply(Architecture parent, SafetensorsFile weights, float sparsity) throws BreedException {
        if (!(sparsity >= 0f) || !(sparsity < 1f)) {
            throw new BreedException("sparsity must be in [0, 1), got " + sparsity);
        }
        Weights.requireFloat(parent, "the parent", "prune");
        Weights.check(parent, weights, "the parent");
        Set<String> matrices = Weights.denseMatrices(parent);
        SafetensorsWriter out = new SafetensorsWriter().metadata("producer", "grove breed prune");
        Map<String, Double> reached = new LinkedHashMap<>();
        for (TensorSpec spec : parent.expectedTensors()) {
            if (!matrices.contains(spec.name())) {
                out.add(spec.name(), spec.dtype(), spec.shape(), Weights.bytes(weights, spec.name()));
                continue;
            }
            float[] w = Weights.floats(weights, spec.name());
            int k = (int) Math.floor((double) sparsity * w.length);
            prune(w, k);
            int zeros = 0;
            for (float v : w) {
                if (v == 0f) {
                    zeros++;
                }
            }
            reached.put(spec.name(), (double) zeros / w.length);
            out.addF32(spec.name(), spec.shape(), w);
        }
        return new Result(new Bred(parent, out.toBytes()), reached);
    }

    /** Zeroes the {@code k} elements of smallest magnitude (lower index first on ties). */
    static void prune(float[] w, int k) {
        if (k <= 0) {
            return;
        }
        long[] keys = new long[w.length];
        for (int i = 0; i < w.length; i++) {
            // |w| as non-negative float bits orders like the magnitude; the index breaks ties
            long bits = Float.floatToIntBits(Math.abs(w[i])) & 0x7fffffffL;
            keys[i] = (bits << 32) | i;
        }
        java.util.Arrays.sort(keys);
        for (int r = 0; r < k; r++) {
            w[(int) keys[r]] = 0f;
        }
    }
}
