package dev.grove.cli.pack;

import dev.grove.cli.breed.ArchitectureJson;
import dev.grove.json.JsonObject;
import dev.grove.runtime.model.Architecture;
import dev.grove.runtime.model.Mlp;
import dev.grove.runtime.model.Model;
import dev.grove.runtime.model.ModelException;
import dev.grove.runtime.model.TensorSpec;
import dev.grove.runtime.safetensors.SafetensorsException;
import dev.grove.runtime.safetensors.SafetensorsFile;
import dev.grove.runtime.safetensors.SafetensorsWriter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The tiny untrained text classifier that {@code grove init} scaffolds: the runtime's {@code mlp} architecture (hashed
 * character n-grams, one hidden layer) with random weights from a fixed seed. Predictions come from the runtime's own
 * {@link Model}, so the accuracy {@code grove init} records is what the runtime computes for these weights.
 */
public final class ScaffoldModel {
    private final Mlp architecture;
    private final List<String> labels;
    private final byte[] safetensors;
    private final Model model;

    private ScaffoldModel(Mlp architecture, List<String> labels, byte[] safetensors, Model model) {
        this.architecture = architecture;
        this.labels = List.copyOf(labels);
        this.safetensors = safetensors;
        this.model = model;
    }

    /** Weights drawn uniformly from ±1/sqrt(fan-in) with a fixed seed, so {@code grove init} is reproducible. */
    public static ScaffoldModel random(long seed, int buckets, int hidden, List<String> labels) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("architecture", Mlp.NAME);
        config.put("ngram_orders", "1,2,3");
        config.put("buckets", Integer.toString(buckets));
        config.put("hidden", Integer.toString(hidden));
        config.put("activation", "relu");
        config.put("classes", Integer.toString(labels.size()));
        config.put("weights", "f32");
        try {
            Mlp architecture = (Mlp) Architecture.fromConfig(config);
            Random random = new Random(seed);
            SafetensorsWriter writer = new SafetensorsWriter()
                    .metadata("producer", "grove init (random, untrained)");
            for (TensorSpec spec : architecture.expectedTensors()) {
                int layer = Integer.parseInt(spec.name().substring("dense".length(), spec.name().indexOf('.')));
                writer.addF32(spec.name(), spec.shape(),
                        uniform(random, (int) spec.elementCount(), architecture.layerIn(layer)));
            }
            byte[] bytes = writer.toBytes();
            Model model = Model.load(architecture, SafetensorsFile.parse(bytes));
            return new ScaffoldModel(architecture, labels, bytes, model);
        } catch (ModelException | SafetensorsException e) {
            throw new IllegalStateException("the runtime refused the scaffold model: " + e.getMessage(), e);
        }
    }

    private static float[] uniform(Random random, int count, int fanIn) {
        float bound = (float) (1 / Math.sqrt(fanIn));
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (random.nextFloat() * 2 - 1) * bound;
        }
        return values;
    }

    public List<String> labels() {
        return labels;
    }

    public long parameters() {
        long count = 0;
        for (TensorSpec spec : architecture.expectedTensors()) {
            count += spec.elementCount();
        }
        return count;
    }

    /**
     * The contract's {@code architecture} block: {@code family} is the runtime's architecture name and {@code config} its
     * configuration keys, with comma-separated lists as JSON arrays and numbers as JSON numbers.
     */
    public JsonObject architecture() {
        return ArchitectureJson.toJson(architecture);
    }

    /** The weights as a safetensors file. */
    public byte[] safetensors() {
        return safetensors.clone();
    }

    /** The predicted label of a text: the class with the highest probability (the first on a tie). */
    public String predict(String text) {
        float[] p = model.predict(text);
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return labels.get(best);
    }
}
