package dev.grove.runtime.breed;

import dev.grove.runtime.model.Architecture;
import dev.grove.runtime.model.Model;
import dev.grove.runtime.model.ModelException;
import dev.grove.runtime.model.TensorSpec;
import dev.grove.runtime.model.WeightFormat;
import dev.grove.runtime.safetensors.Dtype;
import dev.grove.runtime.safetensors.SafetensorsException;
import dev.grove.runtime.safetensors.SafetensorsFile;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Shared helpers of the operators. */
final class Weights {
    private Weights() {
    }

    /** Checks that the weights fit the architecture exactly (as {@link Model#load} does). */
    static void check(Architecture a, SafetensorsFile f, String who) throws BreedException {
        try {
            Model.load(a, f);
        } catch (ModelException e) {
            throw new BreedException(who + ": " + e.getMessage(), e);
        }
    }

    static void requireFloat(Architecture a, String who, String operator) throws BreedException {
        if (a.weights() != WeightFormat.F32) {
            throw new BreedException(who + " has " + a.weights().configName() + " weights; " + operator
                    + " needs float (f32) weights");
        }
    }

    /** The architecture with one configuration key changed. */
    static Architecture withConfig(Architecture a, String key, String value) throws BreedException {
        Map<String, String> c = new LinkedHashMap<>(a.toConfig());
        c.put(key, value);
        try {
            return Architecture.fromConfig(c);
        } catch (ModelException e) {
            throw new BreedException(e.getMessage(), e);
        }
    }

    /** Names of the dense-layer matrices: the tensors that become I8 when the architecture stores int8 weights. */
    static Set<String> denseMatrices(Architecture a) throws BreedException {
        Set<String> names = new LinkedHashSet<>();
        for (TensorSpec s : withConfig(a, "weights", WeightFormat.INT8.configName()).expectedTensors()) {
            if (s.dtype() == Dtype.I8) {
                names.add(s.name());
            }
        }
        return names;
    }

    static float[] floats(SafetensorsFile f, String name) throws BreedException {
        try {
            return f.floats(name);
        } catch (SafetensorsException e) {
            throw new BreedException(e.getMessage(), e);
        }
    }

    static byte[] bytes(SafetensorsFile f, String name) throws BreedException {
        try {
            return f.bytes(name);
        } catch (SafetensorsException e) {
            throw new BreedException(e.getMessage(), e);
        }
    }
}
