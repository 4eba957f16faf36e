package dev.grove.runtime.breed;

import dev.grove.json.JsonArray;
import dev.grove.json.JsonException;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The lineage parameters of a {@link Merge} child, {@code {"method": "weighted-average", "weights": [0.5, 0.5]}}, one
 * weight per parent, each the decimal literal of its float ({@link Float#toString}): written by
 * {@code grove breed merge}, read by a node that re-runs the claim.
 *
 * @param method  the merge method; only {@link #WEIGHTED_AVERAGE} is one a node re-runs
 * @param weights the parents' weights, in the order the card cites the parents
 */
public record MergeParams(String method, float[] weights) {
    /** The method {@link Merge#apply} computes. */
    public static final String WEIGHTED_AVERAGE = "weighted-average";

    public MergeParams {
        Objects.requireNonNull(method, "method");
        weights = weights.clone();
    }

    /** The parameters of {@link Merge#apply} with these weights. */
    public static MergeParams weightedAverage(float[] weights) {
        return new MergeParams(WEIGHTED_AVERAGE, weights);
    }

    @Override
    public float[] weights() {
        return weights.clone();
    }

    /**
     * The method a card's parameters name (a missing one is {@link #WEIGHTED_AVERAGE}), read before the weights, so a
     * node can pass over a method it does not run whatever its other fields hold.
     *
     * @throws JsonException when {@code method} is there and not a string
     */
    public static String method(JsonObject parameters) {
        return parameters.optString("method").orElse(WEIGHTED_AVERAGE);
    }

    /**
     * Reads a card's parameters for a merge of {@code parents} parents.
     *
     * @throws ParameterException when {@code weights} is not an array of {@code parents} numbers
     * @throws JsonException      when {@code method} is there and not a string
     */
    public static MergeParams parse(JsonObject parameters, int parents) throws ParameterException {
        String method = method(parameters);
        JsonArray a;
        try {
            a = parameters.array("weights");
        } catch (JsonException e) {
            throw new ParameterException("parameters.weights must be an array of " + parents
                    + " numbers, one per parent");
        }
        if (a.size() != parents) {
            throw new ParameterException("parameters.weights has " + a.size() + " numbers for " + parents
                    + " parents");
        }
        float[] out = new float[parents];
        for (int i = 0; i < parents; i++) {
            out[i] = PruneParams.parseFloat(a.get(i), "weights[" + i + "]");
        }
        return new MergeParams(method, out);
    }

    /** Whether this is the method {@link Merge#apply} computes. */
    public boolean rerunnable() {
        return method.equals(WEIGHTED_AVERAGE);
    }

    public JsonObject toJson() {
        List<JsonValue> w = new ArrayList<>();
        for (float f : weights) {
            w.add(PruneParams.number(f));
        }
        return JsonObject.builder().put("method", method).put("weights", JsonArray.of(w)).build();
    }
}
