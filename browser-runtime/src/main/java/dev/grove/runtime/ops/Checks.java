package dev.grove.runtime.ops;

/** Argument checks shared by the operators; each message names the offending value. */
final class Checks {
    private Checks() {
    }

    static void positive(int value, String what) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
    }

    static void length(float[] array, long expected, String what) {
        if (array == null || array.length != expected) {
            throw new IllegalArgumentException(what + " must have " + expected + " elements, got "
                    + (array == null ? "null" : String.valueOf(array.length)));
        }
    }

    static void length(byte[] array, long expected, String what) {
        if (array == null || array.length != expected) {
            throw new IllegalArgumentException(what + " must have " + expected + " elements, got "
                    + (array == null ? "null" : String.valueOf(array.length)));
        }
    }
}
