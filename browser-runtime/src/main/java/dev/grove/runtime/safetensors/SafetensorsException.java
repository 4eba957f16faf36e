package dev.grove.runtime.safetensors;

/** A safetensors file that is malformed, or a tensor that is absent or of another dtype than the one asked for. */
public final class SafetensorsException extends Exception {
    private static final long serialVersionUID = 1L;

    public SafetensorsException(String message) {
        super(message);
    }
}
