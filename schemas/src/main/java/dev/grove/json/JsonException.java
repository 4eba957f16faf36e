package dev.grove.json;

/** Malformed JSON, or a JSON document whose fields do not have the expected shape; the message says what and where. */
public final class JsonException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JsonException(String message) {
        super(message);
    }

    public JsonException(String message, Throwable cause) {
        super(message, cause);
    }
}
