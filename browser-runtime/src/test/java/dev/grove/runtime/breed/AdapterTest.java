package dev.grove.runtime.breed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.runtime.model.LoraAdapter;
import dev.grove.runtime.model.Mlp;
import dev.grove.runtime.model.Model;
import dev.grove.runtime.model.ModelException;
import dev.grove.runtime.ops.LowRank;
import dev.grove.runtime.safetensors.SafetensorsFile;
import dev.grove.runtime.safetensors.SafetensorsWriter;
import dev.grove.runtime.train.Dataset;
import dev.grove.runtime.train.GardenData;
import dev.grove.runtime.train.MlpTrainer;
import dev.grove.runtime.train.TrainingOptions;
import dev.grove.runtime.train.TrainingProgress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The adapter operator over a small langid base trained from the garden data. */
class AdapterTest {
    static Dataset train;
    static Dataset nordic;
    static Mlp mlp;
    static SafetensorsFile base;
    static final AdapterParams PARAMS = new AdapterParams(AdapterParams.LORA, new LoraAdapter(2, 4f),
            List.of("dense0", "dense1"), new TrainingOptions(2, 16, 0.003f, 7, 1f));

    @BeforeAll
    static void trainBase() throws Exception {
        train = GardenData.read("langid-udhr-train.tsv", null);
        nordic = GardenData.read("langid-nordic-train.tsv", train.labels());
        mlp = GardenData.mlp(256, "8", 10);
        MlpTrainer t = MlpTrainer.initialise(mlp, 3);
        t.train(train, new TrainingOptions(4, 16, 0.01f, 3, 1f), TrainingProgress.NONE);
        base = SafetensorsFile.parse(t.toSafetensors(Map.of()));
    }

    @Test
    void lowRankKnownAnswer() {
        // W [2, 3], A [1, 2] = (1, 2), B [3, 1] = (1, 0, -1), alpha 2, rank 1: W + 2 * (B A)^T
        float[] w = {0, 0, 0, 1, 1, 1};
        float[] y = LowRank.apply(w, 2, 3, new float[] {1, 2}, new float[] {1, 0, -1}, 1, LowRank.scale(2f, 1));
        assertThat(y).containsExactly(2, 0, -2, 5, 1, -3);
    }

    @Test
    void trainingIsDeterministicAndHoldsOnlyTheAdapter() throws Exception {
        Adapter.Trained a = Adapter.train(mlp, base, nordic, PARAMS, TrainingProgress.NONE);
        Adapter.Trained b = Adapter.train(mlp, base, nordic, PARAMS, TrainingProgress.NONE);
        assertThat(a.safetensors()).isEqualTo(b.safetensors());
        SafetensorsFile f = SafetensorsFile.parse(a.safetensors());
        assertThat(f.tensors()).extracting(t -> t.name() + " " + java.util.Arrays.toString(t.shape()))
                .containsExactly("dense0.lora_a [2, 256]", "dense0.lora_b [8, 2]", "dense1.lora_a [2, 8]",
                        "dense1.lora_b [10, 2]");
        assertThat(PARAMS.adapter().check(mlp, f)).containsExactly("dense0", "dense1");
        // the adapter moves the model: some held-out probability differs from the base's
        Model adapted = PARAMS.adapter().load(mlp, base, f);
        Model plain = Model.load(mlp, base);
        assertThat(adapted.predict("Alle mennesker er født frie og med samme menneskeverd"))
                .isNotEqualTo(plain.predict("Alle mennesker er født frie og med samme menneskeverd"));
        // another seed gives another adapter
        AdapterParams other = new AdapterParams(AdapterParams.LORA, PARAMS.adapter(), PARAMS.layers(),
                new TrainingOptions(2, 16, 0.003f, 8, 1f));
        assertThat(Adapter.train(mlp, base, nordic, other, TrainingProgress.NONE).safetensors())
                .isNotEqualTo(a.safetensors());
        assertThat(Reproduction.firstDifference(f, SafetensorsFile.parse(b.safetensors()))).isEmpty();
    }

    @Test
    void paramsRoundTrip() throws Exception {
        AdapterParams p = AdapterParams.parse(PARAMS.toJson());
        assertThat(p).isEqualTo(PARAMS);
        assertThatThrownBy(() -> AdapterParams.parse(dev.grove.json.JsonObject.builder().put("rank", 0).build()))
                .isInstanceOf(ParameterException.class).hasMessage("parameters.rank must be in 1..4096, got 0");
    }

    @Test
    void checkNamesWhatDoesNotFit() throws Exception {
        LoraAdapter lora = new LoraAdapter(2, 4f);
        assertThatThrownBy(() -> lora.check(mlp, file("dense0.lora_a", new long[] {3, 256},
                "dense0.lora_b", new long[] {8, 3})))
                .isInstanceOf(ModelException.class)
                .hasMessage("tensor 'dense0.lora_a' has shape [3, 256], expected [2, 256] (rank 2 over the base's "
                        + "[256, 8])");
        assertThatThrownBy(() -> lora.check(mlp, file("dense0.lora_a", new long[] {2, 256})))
                .isInstanceOf(ModelException.class)
                .hasMessage("layer 'dense0' has dense0.lora_a but not dense0.lora_b");
        assertThatThrownBy(() -> lora.check(mlp, file("dense7.lora_a", new long[] {2, 256})))
                .isInstanceOf(ModelException.class)
                .hasMessage("tensor 'dense7.lora_a' adapts 'dense7', which is not a float dense layer of the base (mlp "
                        + "has [dense0, dense1])");
        assertThatThrownBy(() -> lora.check(mlp, file("dense0.weight", new long[] {256, 8})))
                .isInstanceOf(ModelException.class)
                .hasMessage("unexpected tensor 'dense0.weight' (an adapter holds only <layer>.lora_a and "
                        + "<layer>.lora_b)");
        Mlp int8 = (Mlp) dev.grove.runtime.model.Architecture.fromConfig(
                new java.util.LinkedHashMap<>(Map.of("architecture", "mlp", "buckets", "256", "hidden", "8",
                        "classes", "10", "weights", "int8")));
        assertThatThrownBy(() -> lora.check(int8, file("dense0.lora_a", new long[] {2, 256})))
                .isInstanceOf(ModelException.class)
                .hasMessage("the base stores int8 weights; an adapter applies to float (f32) weights");
    }

    @Test
    void configRoundTrip() throws Exception {
        LoraAdapter a = new LoraAdapter(4, 0.5f);
        assertThat(LoraAdapter.fromConfig(a.toConfig())).isEqualTo(a);
        assertThatThrownBy(() -> LoraAdapter.fromConfig(Map.of("architecture", "lora", "rank", "2")))
                .isInstanceOf(ModelException.class).hasMessageContaining("missing \"alpha\"");
    }

    private static SafetensorsFile file(Object... nameShape) throws Exception {
        SafetensorsWriter w = new SafetensorsWriter();
        for (int i = 0; i < nameShape.length; i += 2) {
            long[] shape = (long[]) nameShape[i + 1];
            w.addF32((String) nameShape[i], shape, new float[(int) (shape[0] * shape[1])]);
        }
        return SafetensorsFile.parse(w.toBytes());
    }
}
