package dev.grove.runtime.model;

import dev.grove.runtime.ops.LowRank;
import dev.grove.runtime.safetensors.Dtype;
import dev.grove.runtime.safetensors.SafetensorsException;
import dev.grove.runtime.safetensors.SafetensorsFile;
import dev.grove.runtime.safetensors.SafetensorsWriter;
import dev.grove.runtime.safetensors.TensorInfo;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A low-rank adapter (LoRA) over a base model's float dense matrices: the contract family {@code lora}, whose weights
 * file holds, for each adapted layer {@code L} of the base (a base tensor {@code L.weight} F32 {@code [in, out]}),
 * {@code L.lora_a} F32 {@code [rank, in]} and {@code L.lora_b} F32 {@code [out, rank]}, and nothing else. Loaded over
 * its base, each adapted matrix becomes {@link LowRank#apply W + (alpha / rank) · (B A)ᵀ}; every other base tensor is
 * used as it is, so the adapted model has the base's architecture and interface.
 *
 * <p>Configuration keys: {@code architecture=lora}; {@code rank} (required, 1..4096); {@code alpha} (required, a
 * positive decimal, read as {@link Config#decimal} reads it so every platform gets the same float).
 */
public record LoraAdapter(int rank, float alpha) {
    public static final String NAME = "lora";
    public static final String A = ".lora_a";
    public static final String B = ".lora_b";
    public static final int MAX_RANK = 4096;

    public LoraAdapter {
        if (rank < 1 || rank > MAX_RANK) {
            throw new IllegalArgumentException("rank must be in 1.." + MAX_RANK + ", got " + rank);
        }
        if (!(alpha > 0f) || Float.isInfinite(alpha)) {
            throw new IllegalArgumentException("alpha must be a positive number, got " + alpha);
        }
    }

    /** @throws ModelException naming the missing or invalid key */
    public static LoraAdapter fromConfig(Map<String, String> config) throws ModelException {
        if (!NAME.equals(config.get("architecture"))) {
            throw new ModelException("config: architecture is \"" + config.get("architecture") + "\", not " + NAME);
        }
        Config c = new Config(NAME, config);
        int rank = c.integer("rank", 1, MAX_RANK);
        if (!config.containsKey("alpha")) {
            throw new ModelException("lora config: missing \"alpha\" (the scale is alpha / rank)");
        }
        float alpha = c.decimal("alpha", 1f);
        c.rejectUnknownKeys();
        return new LoraAdapter(rank, alpha);
    }

    public Map<String, String> toConfig() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("architecture", NAME);
        m.put("rank", String.valueOf(rank));
        m.put("alpha", Float.toString(alpha));
        return m;
    }

    /** {@code alpha / rank}. */
    public float scale() {
        return LowRank.scale(alpha, rank);
    }

    /** The base layers an adapter may adapt: those with an F32 {@code [in, out]} {@code .weight}, in the base's order. */
    public static List<String> adaptableLayers(Architecture base) {
        List<String> out = new ArrayList<>();
        for (TensorSpec s : base.expectedTensors()) {
            if (s.name().endsWith(".weight") && s.dtype() == Dtype.F32 && s.shape().length == 2
                    && base.weights() == WeightFormat.F32 && isDense(base, s.name())) {
                out.add(s.name().substring(0, s.name().length() - ".weight".length()));
            }
        }
        return out;
    }

    // A dense layer has a bias beside its matrix (embeddings and layer norms do not fit the [in, out] + bias pattern).
    private static boolean isDense(Architecture base, String weightName) {
        String bias = weightName.substring(0, weightName.length() - ".weight".length()) + ".bias";
        for (TensorSpec s : base.expectedTensors()) {
            if (s.name().equals(bias)) {
                return true;
            }
        }
        return false;
    }

    /** The tensors an adapter of this rank on {@code layers} of {@code base} holds, in the order a writer lays them out. */
    public List<TensorSpec> expectedTensors(Architecture base, List<String> layers) throws ModelException {
        List<TensorSpec> out = new ArrayList<>();
        for (String layer : layers) {
            long[] shape = baseShape(base, layer);
            out.add(new TensorSpec(layer + A, Dtype.F32, rank, shape[0]));
            out.add(new TensorSpec(layer + B, Dtype.F32, shape[1], rank));
        }
        return out;
    }

    private static long[] baseShape(Architecture base, String layer) throws ModelException {
        if (!adaptableLayers(base).contains(layer)) {
            throw new ModelException("layer '" + layer + "' is not a float dense layer of the base (" + base.name()
                    + " with " + base.weights().configName() + " weights has " + adaptableLayers(base) + ")");
        }
        for (TensorSpec s : base.expectedTensors()) {
            if (s.name().equals(layer + ".weight")) {
                return s.shape();
            }
        }
        throw new ModelException("layer '" + layer + "' has no matrix"); // not reached: adaptable layers have one
    }

    /**
     * Checks that {@code adapter} fits {@code base}: the base stores float weights; every tensor is a {@code .lora_a} or
     * {@code .lora_b} of an adaptable base layer, both present, F32, of this rank and the layer's shape.
     *
     * @return the adapted layers, in the base's order
     * @throws ModelException naming the first tensor that does not fit
     */
    public List<String> check(Architecture base, SafetensorsFile adapter) throws ModelException {
        if (base.weights() != WeightFormat.F32) {
            throw new ModelException("the base stores " + base.weights().configName()
                    + " weights; an adapter applies to float (f32) weights");
        }
        List<String> adaptable = adaptableLayers(base);
        Set<String> names = new HashSet<>();
        for (TensorInfo t : adapter.tensors()) {
            names.add(t.name());
            String layer = layerOf(t.name());
            if (layer == null) {
                throw new ModelException("unexpected tensor '" + t.name() + "' (an adapter holds only <layer>" + A
                        + " and <layer>" + B + ")");
            }
            if (!adaptable.contains(layer)) {
                throw new ModelException("tensor '" + t.name() + "' adapts '" + layer + "', which is not a float dense "
                        + "layer of the base (" + base.name() + " has " + adaptable + ")");
            }
        }
        List<String> layers = new ArrayList<>();
        for (String layer : adaptable) {
            boolean a = names.contains(layer + A);
            boolean b = names.contains(layer + B);
            if (a != b) {
                throw new ModelException("layer '" + layer + "' has " + (a ? layer + A : layer + B) + " but not "
                        + (a ? layer + B : layer + A));
            }
            if (a) {
                layers.add(layer);
            }
        }
        if (layers.isEmpty()) {
            throw new ModelException("the adapter holds no layer (expected <layer>" + A + " and <layer>" + B
                    + " for some of " + adaptable + ")");
        }
        for (TensorSpec spec : expectedTensors(base, layers)) {
            Model.checkedTensor(adapter, spec, " (rank " + rank + " over the base's "
                    + TensorInfo.shapeString(baseShape(base, layerOf(spec.name()))) + ")");
        }
        return layers;
    }

    private static String layerOf(String tensor) {
        if (tensor.endsWith(A)) {
            return tensor.substring(0, tensor.length() - A.length());
        }
        if (tensor.endsWith(B)) {
            return tensor.substring(0, tensor.length() - B.length());
        }
        return null;
    }

    /**
     * The base's weights with the adapter applied (a safetensors file with exactly the base's tensors, in the base
     * architecture's order).
     *
     * @throws ModelException when the base weights do not fit the base or the adapter does not fit either
     */
    public SafetensorsFile apply(Architecture base, SafetensorsFile baseWeights, SafetensorsFile adapter)
            throws ModelException {
        Model.load(base, baseWeights); // the base itself must fit its architecture
        List<String> layers = check(base, adapter);
        float scale = scale();
        SafetensorsWriter writer = new SafetensorsWriter();
        try {
            for (TensorSpec spec : base.expectedTensors()) {
                String name = spec.name();
                String layer = name.endsWith(".weight") ? name.substring(0, name.length() - ".weight".length()) : null;
                if (layer != null && layers.contains(layer)) {
                    long[] shape = spec.shape();
                    writer.addF32(name, shape, LowRank.apply(baseWeights.floats(name), (int) shape[0], (int) shape[1],
                            adapter.floats(layer + A), adapter.floats(layer + B), rank, scale));
                } else {
                    writer.add(name, spec.dtype(), spec.shape(), baseWeights.bytes(name));
                }
            }
            return SafetensorsFile.parse(writer.toBytes());
        } catch (SafetensorsException e) {
            throw new ModelException(e.getMessage(), e);
        }
    }

    /** The base model with the adapter applied. */
    public Model load(Architecture base, SafetensorsFile baseWeights, SafetensorsFile adapter) throws ModelException {
        return Model.load(base, apply(base, baseWeights, adapter));
    }
}
