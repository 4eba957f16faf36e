package dev.grove.json;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable JSON object that keeps member order (so writing it back is deterministic) and offers typed accessors whose
 * failures name the field: "missing field 'version'", "field 'size' must be an integer".
 */
public final class JsonObject implements JsonValue {
    private static final JsonObject EMPTY = new JsonObject(Collections.emptyMap());

    private final Map<String, JsonValue> members;

    private JsonObject(Map<String, JsonValue> members) {
        this.members = members;
    }

    /** A copy of the map, in its iteration order. */
    public static JsonObject of(Map<String, ? extends JsonValue> members) {
        Builder b = builder();
        for (Map.Entry<String, ? extends JsonValue> e : members.entrySet()) {
            b.put(e.getKey(), e.getValue());
        }
        return b.build();
    }

    public static JsonObject empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The members in insertion order, unmodifiable. */
    public Map<String, JsonValue> members() {
        return members;
    }

    public int size() {
        return members.size();
    }

    public boolean has(String key) {
        return members.containsKey(key);
    }

    public Optional<JsonValue> get(String key) {
        return Optional.ofNullable(members.get(key));
    }

    public String string(String key) {
        JsonValue v = required(key);
        if (v instanceof JsonString s) {
            return s.value();
        }
        throw wrongType(key, "a string");
    }

    public Optional<String> optString(String key) {
        JsonValue v = members.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof JsonString s) {
            return Optional.of(s.value());
        }
        throw wrongType(key, "a string");
    }

    /** @throws JsonException when missing, not an integer, or outside the long range */
    public long integer(String key) {
        JsonValue v = required(key);
        if (v instanceof JsonNumber n && n.isInteger()) {
            try {
                return n.longValue();
            } catch (JsonException e) {
                throw new JsonException("field '" + key + "' is out of the 64-bit integer range: " + n.literal());
            }
        }
        throw wrongType(key, "an integer");
    }

    public double number(String key) {
        JsonValue v = required(key);
        if (v instanceof JsonNumber n) {
            return n.doubleValue();
        }
        throw wrongType(key, "a number");
    }

    public boolean bool(String key) {
        JsonValue v = required(key);
        if (v instanceof JsonBoolean b) {
            return b.value();
        }
        throw wrongType(key, "a boolean");
    }

    public JsonObject object(String key) {
        JsonValue v = required(key);
        if (v instanceof JsonObject o) {
            return o;
        }
        throw wrongType(key, "an object");
    }

    public Optional<JsonObject> optObject(String key) {
        JsonValue v = members.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof JsonObject o) {
            return Optional.of(o);
        }
        throw wrongType(key, "an object");
    }

    public JsonArray array(String key) {
        JsonValue v = required(key);
        if (v instanceof JsonArray a) {
            return a;
        }
        throw wrongType(key, "an array");
    }

    public Optional<JsonArray> optArray(String key) {
        JsonValue v = members.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof JsonArray a) {
            return Optional.of(a);
        }
        throw wrongType(key, "an array");
    }

    private JsonValue required(String key) {
        JsonValue v = members.get(key);
        if (v == null) {
            throw new JsonException("missing field '" + key + "'");
        }
        return v;
    }

    private static JsonException wrongType(String key, String what) {
        return new JsonException("field '" + key + "' must be " + what);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JsonObject other && members.equals(other.members);
    }

    @Override
    public int hashCode() {
        return members.hashCode();
    }

    /** The compact JSON text. */
    @Override
    public String toString() {
        return Json.write(this);
    }

    /** Collects members in order; a key may be put once. Single use. */
    public static final class Builder {
        private LinkedHashMap<String, JsonValue> members = new LinkedHashMap<>();

        private Builder() {
        }

        /** @throws JsonException when the key was already put */
        public Builder put(String key, JsonValue value) {
            if (key == null || value == null) {
                throw new NullPointerException(key == null ? "key" : "value of '" + key + "'");
            }
            if (members == null) {
                throw new IllegalStateException("builder already built");
            }
            if (Json.loneSurrogateIndex(key) >= 0) {
                throw new JsonException("lone surrogate in key '" + Json.abbreviate(key) + "'");
            }
            if (members.putIfAbsent(key, value) != null) {
                throw new JsonException("duplicate key '" + Json.abbreviate(key) + "'");
            }
            return this;
        }

        public Builder put(String key, String value) {
            return put(key, new JsonString(value));
        }

        public Builder put(String key, long value) {
            return put(key, JsonNumber.of(value));
        }

        public Builder put(String key, double value) {
            return put(key, JsonNumber.of(value));
        }

        public Builder put(String key, boolean value) {
            return put(key, JsonBoolean.of(value));
        }

        public JsonObject build() {
            if (members == null) {
                throw new IllegalStateException("builder already built");
            }
            JsonObject o = members.isEmpty() ? EMPTY : new JsonObject(Collections.unmodifiableMap(members));
            members = null;
            return o;
        }
    }
}
