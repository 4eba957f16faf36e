package dev.grove.cli;

import dev.grove.cli.breed.ParentPackage;
import dev.grove.cli.command.CommandFailure;
import dev.grove.cli.pack.PackageDirectory;
import dev.grove.crypto.Sha256;
import dev.grove.pkg.Contract;
import dev.grove.pkg.EvaluationCard;
import dev.grove.pkg.LineageCard;
import dev.grove.pkg.Operator;
import dev.grove.runtime.safetensors.Dtype;
import dev.grove.runtime.safetensors.SafetensorsFile;
import dev.grove.runtime.safetensors.TensorInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class InitCommandTest {

    @TempDir
    Path dir;

    @Test
    void init_writesAValidPackageWhosePinsMatchTheFiles() throws Exception {
        Path pkg = dir.resolve("langid");

        GroveCli.Result result = GroveCli.run("init", "demo/langid", "--dir", pkg.toString(), "--license", "MIT");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        Contract contract = Contract.parse(Files.readAllBytes(pkg.resolve(PackageDirectory.CONTRACT)));
        byte[] lineageBytes = Files.readAllBytes(pkg.resolve(PackageDirectory.LINEAGE));
        byte[] evaluationBytes = Files.readAllBytes(pkg.resolve(PackageDirectory.EVALUATION));
        LineageCard lineage = LineageCard.parse(lineageBytes);
        EvaluationCard evaluation = EvaluationCard.parse(evaluationBytes);

        assertThat(contract.name().toString()).isEqualTo("demo/langid");
        assertThat(contract.license()).isEqualTo("MIT");
        assertThat(contract.lineageCard()).isEqualTo(Sha256.of(lineageBytes));
        assertThat(contract.evaluationCard()).isEqualTo(Sha256.of(evaluationBytes));
        assertThat(lineage.operator()).isEqualTo(Operator.TRAIN);
        assertThat(lineage.subjectName()).isEqualTo(contract.name());
        assertThat(evaluation.subjectVersion()).isEqualTo(contract.version());
        assertThat(evaluation.evaluations().get(0).datasetDigest())
                .isEqualTo(Sha256.of(Files.readAllBytes(pkg.resolve("data/heldout.tsv"))));
        assertThat(evaluation.evaluations().get(0).metrics().get(0).samples()).isEqualTo(24);
        assertThat(evaluation.evaluations().get(0).metrics().get(0).breakdown()).hasSize(2);
        assertThat(contract.outputs().get(0).labels()).containsExactly("negative", "positive");
        assertThat(contract.tags()).contains("sentiment");
        assertThat(evaluation.evaluations().get(0).metrics().get(0).value()).as("a trained model, not chance")
                .isGreaterThanOrEqualTo(0.75);

        // the weights, then the README.md model card, pinned like them but not counted in resources.bytes
        assertThat(contract.artifacts()).hasSize(2);
        byte[] card = Files.readAllBytes(pkg.resolve("README.md"));
        assertThat(contract.artifacts().get(1).path()).isEqualTo("README.md");
        assertThat(contract.artifacts().get(1).digest()).isEqualTo(Sha256.of(card));
        assertThat(new String(card, java.nio.charset.StandardCharsets.UTF_8))
                .startsWith("# Model card: " + contract.name() + "\n")
                .contains("Trained from scratch (lineage operator `train`)");
        byte[] weights = Files.readAllBytes(pkg.resolve(contract.artifacts().get(0).path()));
        assertThat(contract.artifacts().get(0).size()).isEqualTo(weights.length);
        assertThat(contract.artifacts().get(0).digest()).isEqualTo(Sha256.of(weights));
        assertThat(contract.bytes()).isEqualTo(weights.length);
        assertSafetensors(weights, contract.parameters());
    }

    /** The runtime's strict reader accepts the file, and it holds exactly the contract's parameter count as F32. */
    private static void assertSafetensors(byte[] file, long parameters) throws Exception {
        SafetensorsFile weights = SafetensorsFile.parse(file);
        long count = 0;
        for (TensorInfo tensor : weights.tensors()) {
            assertThat(tensor.dtype()).isEqualTo(Dtype.F32);
            count += weights.floats(tensor.name()).length;
        }
        assertThat(count).isEqualTo(parameters);
        assertThat(weights.shape("dense0.weight")).containsExactly(256, 8);
    }

    @Test
    void init_languageId_writesATrainedEnFrDeClassifier() throws Exception {
        Path pkg = dir.resolve("langid");

        GroveCli.Result result = GroveCli.run("init", "demo/langid", "--dir", pkg.toString(), "--task", "language-id");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        Contract contract = Contract.parse(Files.readAllBytes(pkg.resolve(PackageDirectory.CONTRACT)));
        EvaluationCard evaluation = EvaluationCard.parse(Files.readAllBytes(pkg.resolve(PackageDirectory.EVALUATION)));
        assertThat(contract.outputs().get(0).labels()).containsExactlyInAnyOrder("en", "fr", "de");
        assertThat(contract.tags()).contains("language-id");
        assertThat(evaluation.evaluations().get(0).metrics().get(0).value()).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void init_sentiment_classifiesPositiveAndNegativeText() throws Exception {
        Path pkg = dir.resolve("sentiment");
        assertThat(GroveCli.run("init", "demo/sentiment", "--dir", pkg.toString()).exitCode()).isZero();

        ParentPackage model = ParentPackage.load(pkg);

        assertThat(model.labels()).containsExactly("negative", "positive");
        assertThat(top(model, "a wonderful film, i loved it")).isEqualTo("positive");
        assertThat(top(model, "awful service, a waste of money")).isEqualTo("negative");
    }

    private static String top(ParentPackage pkg, String text) {
        float[] p = pkg.model().predict(text);
        return pkg.labels().get(p[1] > p[0] ? 1 : 0);
    }

    @Test
    void init_refusesAnUnknownTask() {
        GroveCli.Result result = GroveCli.run("init", "demo/x", "--dir", dir.resolve("x").toString(), "--task", "ocr");

        assertThat(result.exitCode()).isEqualTo(CommandFailure.USAGE);
        assertThat(result.err()).contains("unknown --task 'ocr'", "text-classification, language-id");
    }

    @Test
    void init_isDeterministic() throws Exception {
        assertThat(GroveCli.run("init", "demo/a", "--dir", dir.resolve("one").toString()).exitCode()).isZero();
        assertThat(GroveCli.run("init", "demo/a", "--dir", dir.resolve("two").toString()).exitCode()).isZero();

        for (String file : new String[] {"grove.json", "lineage.json", "evaluation.json", "weights/model.safetensors",
                "README.md"}) {
            assertThat(dir.resolve("two").resolve(file)).hasSameBinaryContentAs(dir.resolve("one").resolve(file));
        }
    }

    @Test
    void init_refusesANonEmptyDirectory() throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "mine");

        GroveCli.Result result = GroveCli.run("init", "demo/langid", "--dir", dir.toString());

        assertThat(result.exitCode()).isEqualTo(CommandFailure.REFUSED);
        assertThat(result.err()).contains("is not empty");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(dir.resolve("notes.txt"));
        }
    }

    @Test
    void init_refusesAnInvalidName() {
        GroveCli.Result result = GroveCli.run("init", "Demo/LangId", "--dir", dir.resolve("x").toString());

        assertThat(result.exitCode()).isEqualTo(CommandFailure.USAGE);
        assertThat(result.err()).contains("invalid namespace 'Demo'");
    }
}
