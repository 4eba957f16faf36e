package dev.grove.runtime.breed;

import dev.grove.json.JsonObject;

import java.util.Objects;

/**
 * The lineage parameters of a {@link Quantize} child, {@code {"scheme": "int8-per-channel"}}: written by
 * {@code grove breed quantize}, read by a node that re-runs the claim.
 *
 * @param scheme the quantisation scheme; only {@link Quantize#SCHEME} is one a node re-runs
 */
public record QuantizeParams(String scheme) {

    public QuantizeParams {
        Objects.requireNonNull(scheme, "scheme");
    }

    /** The parameters of {@link Quantize#apply}. */
    public static QuantizeParams of() {
        return new QuantizeParams(Quantize.SCHEME);
    }

    /**
     * Reads a card's parameters; a missing scheme is {@link Quantize#SCHEME}.
     *
     * @throws dev.grove.json.JsonException when {@code scheme} is there and not a string
     */
    public static QuantizeParams parse(JsonObject parameters) {
        return new QuantizeParams(parameters.optString("scheme").orElse(Quantize.SCHEME));
    }

    /** Whether this is the scheme {@link Quantize#apply} computes. */
    public boolean rerunnable() {
        return scheme.equals(Quantize.SCHEME);
    }

    public JsonObject toJson() {
        return JsonObject.builder().put("scheme", scheme).build();
    }
}
