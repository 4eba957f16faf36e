package dev.grove.json;

/**
 * A JSON string. Lone UTF-16 surrogates are refused at construction so that every JsonString can be written as valid UTF-8.
 */
public record JsonString(String value) implements JsonValue {

    public JsonString {
        if (value == null) {
            throw new NullPointerException("value");
        }
        int bad = Json.loneSurrogateIndex(value);
        if (bad >= 0) {
            throw new JsonException("lone surrogate at index " + bad + " of string");
        }
    }

    public static JsonString of(String value) {
        return new JsonString(value);
    }
}
