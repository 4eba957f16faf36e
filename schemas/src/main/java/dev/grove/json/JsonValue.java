package dev.grove.json;

/** A JSON value; the closed set of types lets callers switch exhaustively over what a document holds. */
public sealed interface JsonValue permits JsonObject, JsonArray, JsonString, JsonNumber, JsonBoolean, JsonNull {

    /** The value's JSON type name as used in error messages ("object", "array", "string", "number", "boolean", "null"). */
    default String typeName() {
        if (this instanceof JsonObject) {
            return "object";
        } else if (this instanceof JsonArray) {
            return "array";
        } else if (this instanceof JsonString) {
            return "string";
        } else if (this instanceof JsonNumber) {
            return "number";
        } else if (this instanceof JsonBoolean) {
            return "boolean";
        }
        return "null";
    }
}
