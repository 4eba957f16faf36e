package dev.grove.cli.breed;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The contract's {@code architecture} block and the runtime's flat configuration map, both ways:
 * {@code {"family": "mlp", "opset": 1, "config": {"buckets": 1024, "hidden": [16], ...}}} is
 * {@code architecture=mlp, buckets=1024, hidden=16, ...}. Arrays are comma-separated lists, numbers keep their literal,
 * booleans are {@code true}/{@code false}. (The same mapping {@code grove init} writes.)
 */
public final class ContractArchitecture {
    /** Configuration keys whose values are lists. */
    private static final List<String> LISTS = List.of("ngram_orders", "hidden");

    private ContractArchitecture() {
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
        return Architecture.fromConfig(config(block));
    }

    /** The flat configuration map of a contract's architecture block. */
    public static Map<String, String> config(JsonObject block) throws ModelException {
        try {
            long opset = block.integer("opset");
            if (opset != 1) {
                throw new ModelException("architecture: opset " + opset + " is not supported (this runtime has op-set 1)");
            }
            Map<String, String> config = new LinkedHashMap<>();
            config.put("architecture", block.string("family"));
            for (Map.Entry<String, JsonValue> e : block.optObject("config").orElse(JsonObject.empty()).members()
                    .entrySet()) {
                config.put(e.getKey(), flat(e.getKey(), e.getValue()));
            }
            return config;
        } catch (JsonException e) {
            throw new ModelException("architecture: " + e.getMessage(), e);
        }
    }

    private static String flat(String key, JsonValue v) throws ModelException {
        if (v instanceof JsonString s) {
            return s.value();
        }
        if (v instanceof JsonNumber n) {
            return n.literal();
        }
        if (v instanceof JsonBoolean b) {
            return Boolean.toString(b.value());
        }
        if (v instanceof JsonArray a) {
            StringBuilder sb = new StringBuilder();
            for (JsonValue item : a) {
                if (sb.length() > 0) {
                    sb.append(',');
                }
                if (item instanceof JsonArray || item instanceof JsonObject) {
                    throw new ModelException("architecture.config." + key + ": nested values are not supported");
                }
                sb.append(flat(key, item));
            }
            return sb.toString();
        }
        throw new ModelException("architecture.config." + key + ": an object is not a configuration value");
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
