package dev.grove.runtime.breed;

/**
 * A lineage card's {@code parameters} block that is not the parameters of its operator: a missing or malformed field,
 * named by its path ({@code parameters.weights[1] must be a number}).
 */
public final class ParameterException extends Exception {

    public ParameterException(String message) {
        super(message);
    }
}
