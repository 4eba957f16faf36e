package dev.grove.runtime.breed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.runtime.model.Architecture;
import dev.grove.runtime.model.Mlp;
import dev.grove.runtime.model.Model;
import dev.grove.runtime.model.WeightFormat;
import dev.grove.runtime.safetensors.SafetensorsFile;
import dev.grove.runtime.train.Dataset;
import dev.grove.runtime.train.Evaluation;
import dev.grove.runtime.train.GardenData;
import dev.grove.runtime.train.MlpTrainer;
import dev.grove.runtime.train.TrainingOptions;
import dev.grove.runtime.train.TrainingProgress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The operators on a small langid model trained from the garden data. */
class OperatorsTest {
    static Dataset train;
    static Dataset heldout;
    static Mlp mlp;
    static SafetensorsFile parent;
    static Model parentModel;

    @BeforeAll
    static void trainParent() throws Exception {
        train = GardenData.read("langid-udhr-train.tsv", null);
        heldout = GardenData.read("langid-udhr-heldout.tsv", train.labels());
        mlp = GardenData.mlp(512, "16", 10);
        MlpTrainer t = MlpTrainer.initialise(mlp, 3);
        t.train(train, new TrainingOptions(10, 16, 0.01f, 3, 1f), TrainingProgress.NONE);
        parent = SafetensorsFile.parse(t.toSafetensors(Map.of()));
        parentModel = Model.load(mlp, parent);
    }

    /** The int8 child agrees with its parent on at least 97% of held-out texts, every probability within 0.05. */
    @Test
    void quantizeStaysCloseToParent() throws Exception {
        Bred child = Quantize.apply(mlp, parent);
        assertThat(child.architecture().weights()).isEqualTo(WeightFormat.INT8);
        assertThat(child.safetensors()).isEqualTo(Quantize.apply(mlp, parent).safetensors());
        assertThat(child.safetensors().length).isLessThan(parent.dataLength() / 3);
        Evaluation.Distance d = Evaluation.distance(parentModel, child.load(), heldout);
        assertThat(d.agreement()).isGreaterThanOrEqualTo(0.97);
        assertThat(d.maxAbsProbabilityDifference()).isLessThanOrEqualTo(0.05);
    }

    @Test
    void quantizeRefusesInt8Parent() throws Exception {
        Bred child = Quantize.apply(mlp, parent);
        assertThatThrownBy(() -> Quantize.apply(child.architecture(), SafetensorsFile.parse(child.safetensors())))
                .isInstanceOf(BreedException.class)
                .hasMessage("the parent has int8 weights; quantize needs float (f32) weights");
    }

    @Test
    void mergeOfAModelWithItselfIsTheModel() throws Exception {
        Bred merged = Merge.apply(List.of(mlp, mlp), List.of(parent, parent), new float[] {0.5f, 0.5f});
        assertThat(Reproduction.firstDifference(parent, SafetensorsFile.parse(merged.safetensors()))).isEmpty();
    }

    @Test
    void mergeRefusesDifferentArchitectures() throws Exception {
        Mlp other = GardenData.mlp(512, "8", 10);
        MlpTrainer t = MlpTrainer.initialise(other, 1);
        SafetensorsFile w = SafetensorsFile.parse(t.toSafetensors(Map.of()));
        assertThatThrownBy(() -> Merge.apply(List.<Architecture>of(mlp, other), List.of(parent, w),
                new float[] {0.5f, 0.5f}))
                .isInstanceOf(BreedException.class)
                .hasMessageStartingWith("cannot merge parents of different architectures: hidden is \"16\" in parent 1 "
                        + "but \"8\" in parent 2");
        assertThatThrownBy(() -> Merge.apply(List.of(mlp, mlp), List.of(parent, parent), new float[] {0.5f, 0.6f}))
                .hasMessageContaining("must sum to 1");
    }

    @Test
    void pruneReachesTargetSparsityPerLayer() throws Exception {
        Prune.Result r = Prune.apply(mlp, parent, 0.5f);
        assertThat(r.sparsity()).containsOnlyKeys("dense0.weight", "dense1.weight");
        SafetensorsFile child = SafetensorsFile.parse(r.child().safetensors());
        for (String name : r.sparsity().keySet()) {
            float[] w = child.floats(name);
            float[] p = parent.floats(name);
            int zeros = 0;
            float maxPruned = 0f;
            float minKept = Float.MAX_VALUE;
            for (int i = 0; i < w.length; i++) {
                if (w[i] == 0f) {
                    zeros++;
                    maxPruned = Math.max(maxPruned, Math.abs(p[i]));
                } else {
                    minKept = Math.min(minKept, Math.abs(w[i]));
                    assertThat(w[i]).isEqualTo(p[i]);
                }
            }
            assertThat(zeros).isEqualTo(w.length / 2);
            assertThat(maxPruned).as("only the smallest weights are pruned").isLessThanOrEqualTo(minKept);
        }
        assertThat(child.floats("dense0.bias")).isEqualTo(parent.floats("dense0.bias"));
        assertThat(Prune.apply(mlp, parent, 0.5f).child().safetensors()).isEqualTo(r.child().safetensors());
    }

    @Test
    void pruneBreaksTiesByLowerIndex() {
        float[] w = {0.5f, -0.1f, 0.1f, 0.1f, -0.7f};
        Prune.prune(w, 2);
        assertThat(w).containsExactly(0.5f, 0f, 0f, 0.1f, -0.7f);
    }

    @Test
    void reproductionNamesTheTensorThatDiffers() throws Exception {
        Bred child = Quantize.apply(mlp, parent);
        byte[] forged = child.safetensors();
        forged[forged.length - 4] ^= 1; // the last element of the last tensor written: dense1.bias
        assertThat(Reproduction.firstDifference(SafetensorsFile.parse(child.safetensors()),
                SafetensorsFile.parse(forged))).hasValueSatisfying(m -> assertThat(m)
                .startsWith("tensor 'dense1.bias' differs from the re-run at byte"));
    }

    @Test
    void fineTuneAndDistillKeepTheInterface() throws Exception {
        Dataset nordic = GardenData.read("langid-nordic-train.tsv", train.labels());
        Bred ft = FineTune.apply(mlp, parent, nordic, new TrainingOptions(2, 16, 0.005f, 7, 1f), TrainingProgress.NONE);
        assertThat(ft.architecture()).isEqualTo(mlp);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
            texts.add(train.text(i));
        }
        Mlp student = GardenData.mlp(512, "8", 10);
        Bred small = Distill.apply(parentModel, student, texts, new TrainingOptions(15, 16, 0.01f, 11, 2f),
                TrainingProgress.NONE);
        assertThat(small.parameters()).isLessThan(Bred.parameters(mlp) * 6 / 10);
        assertThat(Evaluation.distance(parentModel, small.load(), heldout).agreement()).isGreaterThanOrEqualTo(0.85);
    }
}
