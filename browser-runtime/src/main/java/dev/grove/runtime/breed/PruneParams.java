package dev.grove.runtime.breed;

import dev.grove.json.JsonException;
import dev.grove.json.JsonNumber;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonValue;

import java.util.Objects;

/**
 * The lineage parameters of a {@link Prune} child, {@code {"method": "magnitude-per-layer", "sparsity": 0.5}}, the
 * sparsity the decimal literal of its float ({@link Float#toString}): written by {@code grove breed prune}, read by a
 * node that re-runs the claim.
 *
 * @param method   the pruning method; only {@link Prune#METHOD} is one a node re-runs
 * @param sparsity the share of each layer's weights set to zero
 */
public record PruneParams(String method, float sparsity) {

    public PruneParams {
        Objects.requireNonNull(method, "method");
    }

    /** The parameters of {@link Prune#apply} with this sparsity. */
    public static PruneParams magnitude(float sparsity) {
        return new PruneParams(Prune.METHOD, sparsity);
    }

    /**
     * The method a card's parameters name (a missing one is {@link Prune#METHOD}), read before the sparsity, so a node
     * can pass over a method it does not run whatever its other fields hold.
     *
     * @throws JsonException when {@code method} is there and not a string
     */
    public static String method(JsonObject parameters) {
        return parameters.optString("method").orElse(Prune.METHOD);
    }

    /**
     * Reads a card's parameters.
     *
     * @throws ParameterException when {@code sparsity} is missing or not a number
     * @throws JsonException      when {@code method} is there and not a string
     */
    public static PruneParams parse(JsonObject parameters) throws ParameterException {
        String method = method(parameters);
        JsonValue sparsity;
        try {
            sparsity = parameters.get("sparsity").orElseThrow(() -> new JsonException("missing"));
        } catch (JsonException e) {
            throw new ParameterException("parameters.sparsity must be a number");
        }
        return new PruneParams(method, parseFloat(sparsity, "sparsity"));
    }

    /** Whether this is the method {@link Prune#apply} computes. */
    public boolean rerunnable() {
        return method.equals(Prune.METHOD);
    }

    public JsonObject toJson() {
        return JsonObject.builder().put("method", method).put("sparsity", number(sparsity)).build();
    }

    /** A float as the decimal literal {@link Float#toString} gives, the form the breeding parameters are written in. */
    static JsonNumber number(float value) {
        return new JsonNumber(Float.toString(value));
    }

    /** A float parameter read back from its decimal literal. */
    static float parseFloat(JsonValue value, String key) throws ParameterException {
        if (!(value instanceof JsonNumber n)) {
            throw new ParameterException("parameters." + key + " must be a number");
        }
        return Float.parseFloat(n.literal());
    }
}
