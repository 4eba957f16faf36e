package dev.grove.json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/** An immutable JSON array with typed accessors that fail with the index of the offending element. */
public final class JsonArray implements JsonValue, Iterable<JsonValue> {
    private static final JsonArray EMPTY = new JsonArray(Collections.emptyList());

    private final List<JsonValue> values;

    private JsonArray(List<JsonValue> values) {
        this.values = values;
    }

    public static JsonArray of(List<? extends JsonValue> values) {
        if (values.isEmpty()) {
            return EMPTY;
        }
        List<JsonValue> copy = new ArrayList<>(values.size());
        for (JsonValue v : values) {
            if (v == null) {
                throw new NullPointerException("null element in JSON array");
            }
            copy.add(v);
        }
        return new JsonArray(Collections.unmodifiableList(copy));
    }

    public static JsonArray of(JsonValue... values) {
        List<JsonValue> list = new ArrayList<>(values.length);
        Collections.addAll(list, values);
        return of(list);
    }

    /** An array of JSON strings. */
    public static JsonArray ofStrings(List<String> strings) {
        List<JsonValue> list = new ArrayList<>(strings.size());
        for (String s : strings) {
            list.add(new JsonString(s));
        }
        return of(list);
    }

    /** The elements, unmodifiable. */
    public List<JsonValue> values() {
        return values;
    }

    public int size() {
        return values.size();
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** @throws JsonException when the index is out of range */
    public JsonValue get(int index) {
        if (index < 0 || index >= values.size()) {
            throw new JsonException("index " + index + " out of range for array of size " + values.size());
        }
        return values.get(index);
    }

    /** @throws JsonException when the element is missing or not an object */
    public JsonObject object(int index) {
        JsonValue v = get(index);
        if (v instanceof JsonObject o) {
            return o;
        }
        throw new JsonException("element [" + index + "] must be an object");
    }

    /** @throws JsonException when the element is missing or not a string */
    public String string(int index) {
        JsonValue v = get(index);
        if (v instanceof JsonString s) {
            return s.value();
        }
        throw new JsonException("element [" + index + "] must be a string");
    }

    @Override
    public Iterator<JsonValue> iterator() {
        return values.iterator();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JsonArray other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    /** The compact JSON text. */
    @Override
    public String toString() {
        return Json.write(this);
    }
}
