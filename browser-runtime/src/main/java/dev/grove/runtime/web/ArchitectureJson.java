package dev.grove.runtime.web;

import dev.grove.json.JsonArray;
import dev.grove.json.JsonBoolean;
import dev.grove.json.JsonException;
import dev.grove.json.JsonNumber;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonString;
import dev.grove.json.JsonValue;
import dev.grove.runtime.model.Architecture;
import dev.grove.runtime.model.ModelException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The contract's {@code architecture} block and the runtime's architecture, both ways (the flat map in between is
 * {@link ContractArchitecture}'s):
 * {@code {"family": "mlp", "opset": 1, "config": {"buckets": 1024, "hidden": [16], ...}}} is
 * {@code architecture=mlp, buckets=1024, hidden=16, ...}. Arrays are comma-separated lists, numbers keep their literal,
 * booleans are {@code true}/{@code false}. (The same mapping {@code grove init} writes.)
 */
public final class ArchitectureJson {
    /** Configuration keys whose values are lists. */
    private static final List<String> LISTS = List.of("ngram_orders", "hidden");

    private ArchitectureJson() {
    }

    public static JsonObject toJson(Architecture architecture) {
        JsonObject.Builder config = JsonObject.builder();
        for (Map.Entry<String, String> e : architecture.toConfig().entrySet()) {
            if (!e.getKey().equals("architecture")) {
                config.put(e.getKey(), value(e.getKey(), e.getValue()));
            }
        }
        return JsonObject.builder().put("family", architecture.name()).put("opset", 1).put("config", config.build())
                .build();
    }

    /**
     * @throws ModelException when the block is not op-set 1 or the runtime refuses the configuration
     */
    public static Architecture fromJson(JsonObject block) throws ModelException {
        // One mapping for the node, the CLI and the browser, so all three accept the same contracts.
        Map<String, String> config;
        try {
            config = ContractArchitecture.config(block);
        } catch (JsonException e) {
            throw new ModelException("architecture: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new ModelException(e.getMessage(), e);
        }
        return Architecture.fromConfig(config);
    }

    private static JsonValue value(String key, String value) {
        if (LISTS.contains(key)) {
            List<JsonValue> items = new ArrayList<>();
            for (String part : value.split(",")) {
                if (!part.isBlank()) {
                    items.add(JsonNumber.of(Long.parseLong(part.trim())));
                }
            }
            return JsonArray.of(items);
        }
        if (value.matches("[0-9]{1,18}")) {
            return JsonNumber.of(Long.parseLong(value));
        }
        if (value.equals("true") || value.equals("false")) {
            return JsonBoolean.of(Boolean.parseBoolean(value));
        }
        return JsonString.of(value);
    }
}
