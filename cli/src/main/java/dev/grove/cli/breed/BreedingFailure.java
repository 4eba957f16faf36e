package dev.grove.cli.breed;

/** A refusal of a training or breeding step (bad data, mismatched parents); the commands print it as {@code error: ...}. */
public final class BreedingFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BreedingFailure(String message) {
        super(message);
    }
}
