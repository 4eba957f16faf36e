package dev.grove.runtime.breed;

import dev.grove.runtime.model.Architecture;
import dev.grove.runtime.model.TensorSpec;
import dev.grove.runtime.safetensors.Dtype;
import dev.grove.runtime.safetensors.SafetensorsFile;
import dev.grove.runtime.safetensors.SafetensorsWriter;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Merge: the weighted average of parents that share one float architecture (identical canonical configuration). For
 * every tensor and element, in float: {@code acc = 0f; for k = 0 .. parents-1: acc += c[k] * p_k[i]}. The coefficients
 * must be finite, non-negative and sum to 1 within 1e-6. Architectures that differ are refused, naming the first
 * configuration key that differs.
 */
public final class Merge {
    private Merge() {
    }

    public static Bred apply(List<Architecture> parents, List<SafetensorsFile> weights, float[] coefficients)
            throws BreedException {
        if (parents.size() < 2 || parents.size() != weights.size()) {
            throw new BreedException("merge needs at least two parents, each with its weights; got " + parents.size()
                    + " architectures and " + weights.size() + " weight files");
        }
        if (coefficients.length != parents.size()) {
            throw new BreedException("merge has " + parents.size() + " parents but " + coefficients.length
                    + " weights; give one weight per parent");
        }
        double sum = 0;
        for (float c : coefficients) {
            if (!(c >= 0f) || Float.isInfinite(c)) {
                throw new BreedException("merge weights must be finite and non-negative, got " + c);
            }
            sum += c;
        }
        if (Math.abs(sum - 1.0) > 1e-6) {
            throw new BreedException("merge weights must sum to 1 (a weighted average), they sum to " + sum);
        }
        Architecture first = parents.get(0);
        Map<String, String> config = first.toConfig();
        for (int k = 0; k < parents.size(); k++) {
            Architecture a = parents.get(k);
            Weights.requireFloat(a, "parent " + (k + 1), "merge");
            Map<String, String> other = a.toConfig();
            if (!config.equals(other)) {
                throw new BreedException("cannot merge parents of different architectures: " + difference(config, other,
                        k + 1) + "; merge averages weights element by element, so every parent needs the same "
                        + "architecture and configuration");
            }
            Weights.check(a, weights.get(k), "parent " + (k + 1));
        }
        SafetensorsWriter out = new SafetensorsWriter().metadata("producer", "grove breed merge");
        for (TensorSpec spec : first.expectedTensors()) {
            if (spec.dtype() != Dtype.F32) {
                throw new BreedException("tensor '" + spec.name() + "' is " + spec.dtype() + "; merge averages F32 only");
            }
            float[][] values = new float[parents.size()][];
            for (int k = 0; k < parents.size(); k++) {
                values[k] = Weights.floats(weights.get(k), spec.name());
            }
            float[] merged = new float[values[0].length];
            for (int i = 0; i < merged.length; i++) {
                float acc = 0f;
                for (int k = 0; k < values.length; k++) {
                    acc += coefficients[k] * values[k][i];
                }
                merged[i] = acc;
            }
            out.addF32(spec.name(), spec.shape(), merged);
        }
        return new Bred(first, out.toBytes());
    }

    private static String difference(Map<String, String> a, Map<String, String> b, int other) {
        for (Map.Entry<String, String> e : a.entrySet()) {
            String v = b.get(e.getKey());
            if (!Objects.equals(e.getValue(), v)) {
                return e.getKey() + " is \"" + e.getValue() + "\" in parent 1 but \"" + v + "\" in parent " + other;
            }
        }
        for (String key : b.keySet()) {
            if (!a.containsKey(key)) {
                return key + " is absent in parent 1 but \"" + b.get(key) + "\" in parent " + other;
            }
        }
        return "configurations differ";
    }
}
