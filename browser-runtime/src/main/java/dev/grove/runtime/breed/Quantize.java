package dev.grove.runtime.breed;

import dev.grove.runtime.model.Architecture;
import dev.grove.runtime.model.TensorSpec;
import dev.grove.runtime.model.WeightFormat;
import dev.grove.runtime.ops.Quantization;
import dev.grove.runtime.safetensors.Dtype;
import dev.grove.runtime.safetensors.SafetensorsFile;
import dev.grove.runtime.safetensors.SafetensorsWriter;
import java.util.HashMap;
import java.util.Map;

/**
 * Quantize: the same architecture with {@code weights=int8}. Every dense matrix {@code <layer>.weight} [in, out] becomes
 * I8 plus {@code <layer>.scale} [out] by {@link Quantization#int8PerOutputChannel} (symmetric, scale = max|w| / 127 per
 * output column, round half to even); every other tensor is copied bit for bit. The child's tensors are written in the
 * order its architecture lists them, with no metadata beyond {@code producer}.
 */
public final class Quantize {
    /** The scheme name recorded in the lineage card's parameters. */
    public static final String SCHEME = "int8-per-channel";

    private Quantize() {
    }

    public static Bred apply(Architecture parent, SafetensorsFile weights) throws BreedException {
        Weights.requireFloat(parent, "the parent", "quantize");
        Weights.check(parent, weights, "the parent");
        Architecture child = Weights.withConfig(parent, "weights", WeightFormat.INT8.configName());
        SafetensorsWriter out = new SafetensorsWriter().metadata("producer", "grove breed quantize");
        Map<String, float[]> scales = new HashMap<>();
        for (TensorSpec spec : child.expectedTensors()) {
            String name = spec.name();
            long[] shape = spec.shape();
            if (spec.dtype() == Dtype.I8) {
                int in = (int) shape[0];
                int outWidth = (int) shape[1];
                Quantization.Int8Weights q = Quantization.int8PerOutputChannel(Weights.floats(weights, name), in,
                        outWidth);
                out.addI8(name, shape, q.weights());
                scales.put(prefix(name) + ".scale", q.scales());
            } else if (scales.containsKey(name)) {
                out.addF32(name, shape, scales.get(name));
            } else {
                out.add(name, spec.dtype(), shape, Weights.bytes(weights, name));
            }
        }
        return new Bred(child, out.toBytes());
    }

    private static String prefix(String weightName) {
        return weightName.substring(0, weightName.length() - ".weight".length());
    }
}
