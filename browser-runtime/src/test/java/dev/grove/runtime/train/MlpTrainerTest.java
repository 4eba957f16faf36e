package dev.grove.runtime.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.runtime.model.Mlp;
import dev.grove.runtime.model.Model;
import dev.grove.runtime.model.ModelException;
import dev.grove.runtime.safetensors.SafetensorsFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MlpTrainerTest {
    private static final Dataset TRAIN = GardenData.read("langid-udhr-train.tsv", null);
    private static final Dataset HELDOUT = GardenData.read("langid-udhr-heldout.tsv", TRAIN.labels());

    private static byte[] train(long seed, int epochs, List<double[]> progress) throws ModelException {
        Mlp mlp = GardenData.mlp(256, "8", TRAIN.labels().size());
        MlpTrainer trainer = MlpTrainer.initialise(mlp, seed);
        trainer.train(TRAIN, new TrainingOptions(epochs, 16, 0.01f, seed, 1f),
                (e, n, loss, acc) -> progress.add(new double[] {e, n, loss, acc}));
        return trainer.toSafetensors(Map.of());
    }

    @Test
    void sameSeedGivesIdenticalBytes_otherSeedDoesNot() throws Exception {
        List<double[]> p1 = new ArrayList<>();
        byte[] a = train(5, 3, p1);
        byte[] b = train(5, 3, new ArrayList<>());
        byte[] c = train(6, 3, new ArrayList<>());
        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
        assertThat(p1).hasSize(3);
        assertThat(p1.get(2)[0]).isEqualTo(3);
        assertThat(p1.get(2)[2]).as("loss falls").isLessThan(p1.get(0)[2]);
    }

    @Test
    void learnsHeldOutLanguages() throws Exception {
        byte[] weights = train(42, 12, new ArrayList<>());
        Mlp mlp = GardenData.mlp(256, "8", TRAIN.labels().size());
        Evaluation ev = Evaluation.of(Model.load(mlp, SafetensorsFile.parse(weights)), HELDOUT);
        assertThat(ev.accuracy()).as("small 256-bucket model, held-out accuracy").isGreaterThanOrEqualTo(0.85);
        assertThat(ev.samples()).isEqualTo(221);
    }

    @Test
    void refusesIntWeightsAndMismatchedLabels() throws Exception {
        Mlp mlp = GardenData.mlp(64, "", 3);
        assertThatThrownBy(() -> MlpTrainer.initialise(mlp, 1).train(TRAIN, TrainingOptions.of(1, 0.01f, 1), TrainingProgress.NONE))
                .hasMessageContaining("the data has 10 labels but the model 3 classes");
        assertThatThrownBy(() -> Dataset.parse("en\thello\nxx\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .hasMessage("line 2: expected 'label<TAB>text'");
    }
}
