package dev.grove.runtime.train;

/** Receives one report per finished epoch. */
@FunctionalInterface
public interface TrainingProgress {
    /** Ignores every report. */
    TrainingProgress NONE = (epoch, epochs, loss, accuracy) -> { };

    /**
     * @param epoch    the epoch just finished, 1-based
     * @param epochs   the number of epochs in all
     * @param loss     mean training loss over the epoch's samples
     * @param accuracy fraction of the epoch's samples whose highest-scoring class was the target's highest class
     */
    void epoch(int epoch, int epochs, double loss, double accuracy);
}
