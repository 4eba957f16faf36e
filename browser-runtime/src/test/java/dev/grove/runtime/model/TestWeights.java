package dev.grove.runtime.model;

import dev.grove.runtime.ops.Quantization;
import dev.grove.runtime.safetensors.Dtype;
import dev.grove.runtime.safetensors.SafetensorsFile;
import dev.grove.runtime.safetensors.SafetensorsWriter;
import java.util.Random;

/** Seeded random weights for an architecture, and their int8 quantisation. */
final class TestWeights {
    private TestWeights() {
    }

    /** F32 weights for an architecture whose {@code weights} is f32: gaussian * 0.5, layer-norm gammas near 1. */
    static SafetensorsFile random(Architecture arch, long seed) throws Exception {
        Random random = new Random(seed);
        SafetensorsWriter w = new SafetensorsWriter();
        for (TensorSpec spec : arch.expectedTensors()) {
            float[] v = new float[(int) spec.elementCount()];
            boolean gamma = spec.name().endsWith("ln1.weight") || spec.name().endsWith("ln2.weight")
                    || spec.name().equals("final_ln.weight");
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (gamma ? 1 + 0.1 * random.nextGaussian() : 0.5 * random.nextGaussian());
            }
            w.addF32(spec.name(), spec.shape(), v);
        }
        return SafetensorsFile.parse(w.toBytes());
    }

    /** The int8 file for {@code int8Arch}, quantising every I8 tensor from the same-named F32 tensor of {@code f32}. */
    static SafetensorsFile quantize(Architecture int8Arch, SafetensorsFile f32) throws Exception {
        SafetensorsWriter w = new SafetensorsWriter();
        for (TensorSpec spec : int8Arch.expectedTensors()) {
            if (spec.dtype() == Dtype.I8) {
                long[] shape = spec.shape();
                Quantization.Int8Weights q = Quantization.int8PerOutputChannel(f32.floats(spec.name()),
                        (int) shape[0], (int) shape[1]);
                w.addI8(spec.name(), shape, q.weights());
                String base = spec.name().substring(0, spec.name().length() - ".weight".length());
                w.addF32(base + ".scale", new long[] {shape[1]}, q.scales());
            } else if (!spec.name().endsWith(".scale")) {
                w.addF32(spec.name(), spec.shape(), f32.floats(spec.name()));
            }
        }
        return SafetensorsFile.parse(w.toBytes());
    }
}
