package dev.grove.runtime.model;

import java.util.List;
import java.util.Map;

/**
 * A model architecture of op-set v1: what a package's contract names, and what fixes the tensors its safetensors file
 * must hold. Built from a flat string configuration (keys documented on each implementation), which keeps the runtime
 * free of any JSON library type; {@link #toConfig()} gives back the canonical configuration.
 */
public sealed interface Architecture permits Mlp, TinyTransformer {

    /** The value of the {@code architecture} key: {@code mlp} or {@code tiny-transformer}. */
    String name();

    /** Number of output classes (length of {@link Model#predict(String)}'s result). */
    int classes();

    /** How dense-layer matrices are stored. */
    WeightFormat weights();

    /** Every tensor the weights file must hold, in the order a writer should lay them out. */
    List<TensorSpec> expectedTensors();

    /** The canonical configuration, with every default spelled out; {@code fromConfig(toConfig())} is equal to this. */
    Map<String, String> toConfig();

    /**
     * Builds the architecture named by the {@code architecture} key.
     *
     * @throws ModelException naming the missing, unknown or invalid key
     */
    static Architecture fromConfig(Map<String, String> config) throws ModelException {
        String name = config.get("architecture");
        if (name == null) {
            throw new ModelException("config: missing \"architecture\" (mlp or tiny-transformer)");
        }
        switch (name.trim()) {
            case Mlp.NAME:
                return Mlp.fromConfig(config);
            case TinyTransformer.NAME:
                return TinyTransformer.fromConfig(config);
            default:
                throw new ModelException("config: unknown architecture \"" + name + "\" (mlp or tiny-transformer)");
        }
    }

    /** Reads the {@code weights} key shared by all architectures. */
    static WeightFormat weightFormat(Config c) throws ModelException {
        String w = c.string("weights", "f32");
        if (w.equals("f32")) {
            return WeightFormat.F32;
        }
        if (w.equals("int8")) {
            return WeightFormat.INT8;
        }
        throw new ModelException(c.architecture() + " config: weights = \"" + w + "\" is not f32 or int8");
    }
}
