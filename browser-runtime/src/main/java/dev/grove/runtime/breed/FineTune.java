package dev.grove.runtime.breed;

import dev.grove.runtime.model.Architecture;
import dev.grove.runtime.model.Mlp;
import dev.grove.runtime.model.ModelException;
import dev.grove.runtime.safetensors.SafetensorsFile;
import dev.grove.runtime.train.Dataset;
import dev.grove.runtime.train.MlpTrainer;
import dev.grove.runtime.train.TrainingOptions;
import dev.grove.runtime.train.TrainingProgress;
import java.util.Map;

/**
 * Fine-tune: continue training a parent's float weights on new labelled data with {@link MlpTrainer} (fresh Adam
 * moments, the given options). The architecture, and so the interface, is unchanged; the data's labels must be the
 * parent's classes in the parent's order (a specialist may cover only some of them).
 */
public final class FineTune {
    private FineTune() {
    }

    public static Bred apply(Architecture parent, SafetensorsFile weights, Dataset data, TrainingOptions options,
                             TrainingProgress progress) throws BreedException {
        if (!(parent instanceof Mlp mlp)) {
            throw new BreedException("fine-tune trains the mlp architecture, not " + parent.name());
        }
        Weights.requireFloat(parent, "the parent", "fine-tune");
        Weights.check(parent, weights, "the parent");
        try {
            MlpTrainer trainer = MlpTrainer.from(mlp, weights);
            trainer.train(data, options, progress);
            return new Bred(mlp, trainer.toSafetensors(Map.of("producer", "grove breed fine-tune")));
        } catch (ModelException | IllegalArgumentException e) {
            throw new BreedException("fine-tune: " + e.getMessage(), e);
        }
    }
}
