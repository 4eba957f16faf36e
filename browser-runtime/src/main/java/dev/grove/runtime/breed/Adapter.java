package dev.grove.runtime.breed;

import dev.grove.runtime.model.Architecture;
import dev.grove.runtime.model.LoraAdapter;
import dev.grove.runtime.model.Mlp;
import dev.grove.runtime.model.ModelException;
import dev.grove.runtime.safetensors.SafetensorsFile;
import dev.grove.runtime.train.Dataset;
import dev.grove.runtime.train.LoraTrainer;
import dev.grove.runtime.train.TrainingProgress;
import java.util.Map;

/**
 * Adapter: train a low-rank delta ({@link LoraAdapter}) over a frozen float MLP base on new labelled data with
 * {@link LoraTrainer}. The child holds only the adapter's tensors; loaded over the base it has the base's architecture
 * and interface. Deterministic (see LoraTrainer), so a node that holds the base and the data re-runs it.
 */
public final class Adapter {
    private Adapter() {
    }

    /** The trained adapter: its parameters and its safetensors file (copied in and out). */
    public static final class Trained {
        private final AdapterParams params;
        private final byte[] safetensors;

        Trained(AdapterParams params, byte[] safetensors) {
            this.params = params;
            this.safetensors = safetensors.clone();
        }

        public AdapterParams params() {
            return params;
        }

        public byte[] safetensors() {
            return safetensors.clone();
        }
    }

    public static Trained train(Architecture base, SafetensorsFile weights, Dataset data, AdapterParams params,
                                TrainingProgress progress) throws BreedException {
        if (!(base instanceof Mlp mlp)) {
            throw new BreedException("adapter trains over the mlp architecture, not " + base.name());
        }
        if (!params.rerunnable()) {
            throw new BreedException("adapter method '" + params.method() + "' is not one this runtime trains ("
                    + AdapterParams.LORA + ")");
        }
        Weights.requireFloat(base, "the base", "adapter");
        Weights.check(base, weights, "the base");
        try {
            LoraTrainer trainer = LoraTrainer.initialise(mlp, weights, params.adapter(), params.layers(),
                    params.options().seed());
            trainer.train(data, params.options(), progress);
            return new Trained(params, trainer.toSafetensors(Map.of("producer", "grove breed adapter")));
        } catch (ModelException | IllegalArgumentException e) {
            throw new BreedException("adapter: " + e.getMessage(), e);
        }
    }
}
