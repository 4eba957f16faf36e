package dev.grove.node.problem;

/**
 * An adapter package that does not fit its base: the base is not on this node, or its weights, architecture, interface,
 * tensor shapes, dtypes or rank are not what the adapter names.
 */
public final class AdapterMismatch extends NodeFailure {

    public AdapterMismatch(String message) {
        super(message, null);
    }

    public AdapterMismatch(String message, Throwable cause) {
        super(message, cause);
    }
}
