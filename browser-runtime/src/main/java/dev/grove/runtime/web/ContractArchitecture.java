package dev.grove.runtime.web;

import dev.grove.json.JsonArray;
import dev.grove.json.JsonBoolean;
import dev.grove.json.JsonNumber;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonString;
import dev.grove.json.JsonValue;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps a contract's {@code architecture} block to the runtime's flat string configuration, the inverse of what
 * {@code grove init} writes: {@code family} becomes the {@code architecture} key; numbers keep their literal, strings
 * their value, booleans become {@code true}/{@code false}, and arrays of numbers become comma-separated lists.
 */
public final class ContractArchitecture {
    private ContractArchitecture() {
    }

    /** @throws IllegalArgumentException naming the field that has no runtime meaning */
    public static Map<String, String> config(JsonObject architecture) {
        Map<String, String> out = new LinkedHashMap<>();
        String family = architecture.string("family");
        long opset = architecture.integer("opset");
        if (opset != 1) {
            throw new IllegalArgumentException("architecture.opset is " + opset + "; this runtime implements op-set 1");
        }
        out.put("architecture", family);
        JsonObject config = architecture.optObject("config").orElse(JsonObject.empty());
        for (Map.Entry<String, JsonValue> e : config.members().entrySet()) {
            String key = e.getKey();
            if (key.equals("architecture")) {
                throw new IllegalArgumentException("architecture.config.architecture: the family is named by "
                        + "architecture.family");
            }
            out.put(key, value("architecture.config." + key, e.getValue()));
        }
        return out;
    }

    private static String value(String where, JsonValue v) {
        if (v instanceof JsonNumber n) {
            return n.literal();
        }
        if (v instanceof JsonString s) {
            return s.value();
        }
        if (v instanceof JsonBoolean b) {
            return b.value() ? "true" : "false";
        }
        if (v instanceof JsonArray a) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < a.size(); i++) {
                if (!(a.get(i) instanceof JsonNumber n)) {
                    throw new IllegalArgumentException(where + "[" + i + "] is not a number");
                }
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(n.literal());
            }
            return sb.toString();
        }
        throw new IllegalArgumentException(where + " is neither a number, a string, a boolean nor a list of numbers");
    }
}
