package dev.grove.runtime.breed;

import dev.grove.json.JsonArray;
import dev.grove.json.JsonException;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonString;
import dev.grove.json.JsonValue;
import dev.grove.runtime.model.LoraAdapter;
import dev.grove.runtime.train.TrainingOptions;

import java.util.ArrayList;
import java.util.List;

/**
 * The lineage parameters of an {@link Adapter} child: {@code {"method": "lora", "rank": 1, "alpha": 4.0, "layers":
 * ["dense0", "dense1"], "learning_rate": 0.01, "epochs": 10, "batch_size": 16, "seed": 7, ...}} (floats as the decimal
 * literal {@link Float#toString} gives), plus descriptive fields (optimizer, initialisation, loss) that a node does not
 * read. Written by {@code grove breed adapter}, read by a node that re-runs the training.
 */
public record AdapterParams(String method, LoraAdapter adapter, List<String> layers, TrainingOptions options) {
    public static final String LORA = "lora";

    public AdapterParams {
        layers = List.copyOf(layers);
    }

    /** The method a card's parameters name (a missing one is {@link #LORA}). */
    public static String method(JsonObject parameters) {
        return parameters.optString("method").orElse(LORA);
    }

    /** @throws ParameterException naming the first missing or malformed field */
    public static AdapterParams parse(JsonObject parameters) throws ParameterException {
        try {
            String method = method(parameters);
            int rank = (int) integer(parameters, "rank", 1, LoraAdapter.MAX_RANK);
            float alpha = PruneParams.parseFloat(parameters.get("alpha").orElseThrow(
                    () -> new ParameterException("parameters.alpha must be a number")), "alpha");
            JsonArray a = parameters.optArray("layers").orElseThrow(
                    () -> new ParameterException("parameters.layers must be an array of layer names"));
            List<String> layers = new ArrayList<>();
            for (int i = 0; i < a.size(); i++) {
                if (!(a.get(i) instanceof JsonString s)) {
                    throw new ParameterException("parameters.layers[" + i + "] must be a layer name");
                }
                layers.add(s.value());
            }
            float lr = PruneParams.parseFloat(parameters.get("learning_rate").orElseThrow(
                    () -> new ParameterException("parameters.learning_rate must be a number")), "learning_rate");
            int epochs = (int) integer(parameters, "epochs", 0, 100_000);
            int batch = (int) integer(parameters, "batch_size", 1, 1 << 20);
            long seed = parameters.get("seed").isPresent() ? parameters.integer("seed") : 0;
            return new AdapterParams(method, new LoraAdapter(rank, alpha), layers,
                    new TrainingOptions(epochs, batch, lr, seed, 1f));
        } catch (JsonException e) {
            throw new ParameterException("parameters: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ParameterException("parameters: " + e.getMessage());
        }
    }

    private static long integer(JsonObject p, String key, long min, long max) throws ParameterException {
        long v;
        try {
            v = p.integer(key);
        } catch (JsonException e) {
            throw new ParameterException("parameters." + key + " must be an integer");
        }
        if (v < min || v > max) {
            throw new ParameterException("parameters." + key + " must be in " + min + ".." + max + ", got " + v);
        }
        return v;
    }

    /** Whether this is the method {@link Adapter#train} computes. */
    public boolean rerunnable() {
        return method.equals(LORA);
    }

    public JsonObject toJson() {
        List<JsonValue> names = new ArrayList<>();
        for (String l : layers) {
            names.add(JsonString.of(l));
        }
        return JsonObject.builder()
                .put("method", method)
                .put("rank", adapter.rank())
                .put("alpha", PruneParams.number(adapter.alpha()))
                .put("layers", JsonArray.of(names))
                .put("optimizer", "adam(beta1=0.9, beta2=0.999, eps=1e-8)")
                .put("learning_rate", PruneParams.number(options.learningRate()))
                .put("epochs", options.epochs())
                .put("batch_size", options.batchSize())
                .put("seed", options.seed())
                .put("initialisation", "lora_a 0, lora_b uniform(±1/sqrt(rank)); base frozen")
                .put("loss", "softmax cross-entropy")
                .build();
    }
}
