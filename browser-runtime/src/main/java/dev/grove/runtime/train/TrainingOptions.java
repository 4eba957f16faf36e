package dev.grove.runtime.train;

/**
 * Hyper-parameters of one training run; all of them are recorded in the lineage card.
 *
 * @param epochs       passes over the data (0 trains nothing)
 * @param batchSize    samples per Adam step
 * @param learningRate Adam step size
 * @param seed         seeds the initialisation (for a fresh model) and the mini-batch order
 * @param temperature  softmax temperature for soft targets (distillation); 1 for hard labels
 */
public record TrainingOptions(int epochs, int batchSize, float learningRate, long seed, float temperature) {
    public TrainingOptions {
        if (epochs < 0 || epochs > 100_000) {
            throw new IllegalArgumentException("epochs must be in 0..100000, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        if (!(learningRate > 0f) || !(learningRate < 10f)) {
            throw new IllegalArgumentException("learning rate must be in (0, 10), got " + learningRate);
        }
        if (!(temperature > 0f) || !(temperature <= 100f)) {
            throw new IllegalArgumentException("temperature must be in (0, 100], got " + temperature);
        }
    }

    public static TrainingOptions of(int epochs, float learningRate, long seed) {
        return new TrainingOptions(epochs, 16, learningRate, seed, 1f);
    }

    public TrainingOptions withTemperature(float t) {
        return new TrainingOptions(epochs, batchSize, learningRate, seed, t);
    }
}
