package dev.grove.json;

/**
 * Malformed JSON, or a JSON document whose fields do not have the expected shape; the message says what and where.
 *
 * <p>A parse error also gives its parts: {@link #reason()} (what, without where) and {@link #offset()} (where), so a
 * caller that reads JSON embedded in something larger (a safetensors header) can say where in its own terms.
 */
public final class JsonException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String reason;
    private final int offset;
    private final boolean byteOffset;

    public JsonException(String message) {
        this(message, message, -1, false);
    }

    public JsonException(String message, Throwable cause) {
        super(message, cause);
        this.reason = message;
        this.offset = -1;
        this.byteOffset = false;
    }

    JsonException(String message, String reason, int offset, boolean byteOffset) {
        super(message);
        this.reason = reason;
        this.offset = offset;
        this.byteOffset = byteOffset;
    }

    /** What is wrong, without the position: {@code unexpected character '}'}; the whole message when it has none. */
    public String reason() {
        return reason;
    }

    /**
     * Where the parse failed, or -1 when the error has no position: a UTF-16 char offset into the text, or, when
     * {@link #isByteOffset()}, a byte offset into the UTF-8 input (for invalid UTF-8).
     */
    public int offset() {
        return offset;
    }

    /** Whether {@link #offset()} counts bytes of the UTF-8 input rather than chars of the decoded text. */
    public boolean isByteOffset() {
        return byteOffset;
    }
}
