package dev.grove.runtime.breed;

import dev.grove.runtime.model.Architecture;
import dev.grove.runtime.model.Model;
import dev.grove.runtime.model.ModelException;
import dev.grove.runtime.model.TensorSpec;
import dev.grove.runtime.safetensors.SafetensorsException;
import dev.grove.runtime.safetensors.SafetensorsFile;

/** A child model: its architecture and its safetensors weights (copied in and out). */
public final class Bred {
    private final Architecture architecture;
    private final byte[] safetensors;

    public Bred(Architecture architecture, byte[] safetensors) {
        this.architecture = architecture;
        this.safetensors = safetensors.clone();
    }

    public Architecture architecture() {
        return architecture;
    }

    public byte[] safetensors() {
        return safetensors.clone();
    }

    /** Number of parameters (elements of every tensor the architecture lists). */
    public long parameters() {
        return parameters(architecture);
    }

    public static long parameters(Architecture a) {
        long n = 0;
        for (TensorSpec s : a.expectedTensors()) {
            n += s.elementCount();
        }
        return n;
    }

    /** The child loaded by the runtime (which checks every tensor against the architecture). */
    public Model load() throws ModelException {
        try {
            return Model.load(architecture, SafetensorsFile.parse(safetensors));
        } catch (SafetensorsException e) {
            throw new ModelException(e.getMessage(), e);
        }
    }
}
