package dev.grove.cli.pack;

import dev.grove.crypto.Sha256;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonNumber;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonValue;
import dev.grove.pkg.PackageName;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The package directory {@code grove init} writes: a contract, a lineage card ({@code train} from random initial weights),
 * an evaluation card with the <em>measured</em> accuracy of those untrained weights on a tiny held-out text set (also
 * written, and pinned by digest), and the weights. Everything is deterministic: the same name gives the same bytes.
 */
public final class Scaffold {
    public static final String VERSION = "0.1.0";
    public static final String WEIGHTS = "weights/model.safetensors";
    public static final String HELDOUT = "data/heldout.txt";
    static final long SEED = 20_241_101L;
    static final int BUCKETS = 64;
    static final int HIDDEN = 8;

    /** The held-out set: label, tab, text; two sentences per label. */
    private static final String[][] HELDOUT_SAMPLES = {
            {"en", "the cat sleeps on the warm mat"},
            {"en", "where is the nearest train station"},
            {"fr", "le chat dort sur le tapis chaud"},
            {"fr", "où est la gare la plus proche"},
            {"de", "die katze schläft auf der warmen matte"},
            {"de", "wo ist der nächste bahnhof"},
    };
    private static final List<String> LABELS = List.of("en", "fr", "de");

    private Scaffold() {
    }

    /** What was written. */
    public record Result(Path dir, double accuracy, int samples, long parameters) {
    }

    /**
     * Writes the package into {@code dir}, which must be absent or empty.
     *
     * @throws VerificationException when {@code dir} holds anything
     */
    public static Result write(Path dir, PackageName name, String license, String task) throws IOException {
        if (!PackageDirectory.isAbsentOrEmpty(dir)) {
            throw new VerificationException(dir + " is not empty; grove init only writes into a new or empty directory");
        }
        Files.createDirectories(dir.resolve("weights"));
        Files.createDirectories(dir.resolve("data"));
        ScaffoldModel model = ScaffoldModel.random(SEED, BUCKETS, HIDDEN, LABELS);
        Files.write(dir.resolve(WEIGHTS), model.safetensors());

        StringBuilder heldout = new StringBuilder();
        for (String[] sample : HELDOUT_SAMPLES) {
            heldout.append(sample[0]).append('\t').append(sample[1]).append('\n');
        }
        byte[] heldoutBytes = heldout.toString().getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve(HELDOUT), heldoutBytes);

        JsonObject subject = JsonObject.builder().put("name", name.toString()).put("version", VERSION).build();
        Files.write(dir.resolve(PackageDirectory.LINEAGE), PrettyJson.bytes(lineage(subject)));
        Evaluation evaluation = evaluate(model);
        Files.write(dir.resolve(PackageDirectory.EVALUATION),
                PrettyJson.bytes(evaluationCard(subject, Sha256.of(heldoutBytes), evaluation)));

        PackageDirectory pkg = PackageDirectory.at(dir);
        JsonObject contract = ContractPins.fill(contract(name, license, task, model), pkg);
        Files.write(dir.resolve(PackageDirectory.CONTRACT), PrettyJson.bytes(contract));
        return new Result(dir, evaluation.accuracy(), HELDOUT_SAMPLES.length, model.parameters());
    }

    private static JsonObject contract(PackageName name, String license, String task, ScaffoldModel model) {
        JsonObject input = JsonObject.builder()
                .put("name", "text").put("dtype", "string").put("shape", JsonArray.of()).build();
        JsonObject output = JsonObject.builder()
                .put("name", "probabilities").put("dtype", "float32")
                .put("shape", JsonArray.of(JsonNumber.of(model.labels().size())))
                .put("labels", JsonArray.ofStrings(model.labels()))
                .build();
        JsonObject artifact = JsonObject.builder()
                .put("path", WEIGHTS).put("mediaType", "application/vnd.safetensors")
                .put("size", 0).put("digest", Sha256.of(new byte[0]).toString())
                .build();
        return JsonObject.builder()
                .put("schema", "grove.contract/v1")
                .put("name", name.toString())
                .put("version", VERSION)
                .put("summary", "Untrained scaffold from grove init: tells English, French and German apart at chance "
                        + "level until you train it")
                .put("license", license)
                .put("task", task)
                .put("tags", JsonArray.ofStrings(List.of("scaffold", "language-id")))
                .put("interface", JsonObject.builder()
                        .put("inputs", JsonArray.of(input))
                        .put("outputs", JsonArray.of(output))
                        .build())
                .put("architecture", model.architecture())
                .put("resources", JsonObject.builder().put("parameters", model.parameters()).put("bytes", 0).build())
                .put("artifacts", JsonArray.of(artifact))
                .put("cards", JsonObject.empty())
                .build();
    }

    private static JsonObject lineage(JsonObject subject) {
        return JsonObject.builder()
                .put("schema", "grove.lineage/v1")
                .put("subject", subject)
                .put("operator", "train")
                .put("parameters", JsonObject.builder()
                        .put("initialisation", "uniform(-1/sqrt(fan_in), 1/sqrt(fan_in))")
                        .put("seed", SEED)
                        .put("epochs", 0)
                        .build())
                .put("parents", JsonArray.of())
                .put("data", JsonArray.of(JsonObject.builder()
                        .put("name", "none")
                        .put("description", "No training data: the weights are the random initialisation written by "
                                + "grove init. Replace this entry with the data you train on.")
                        .build()))
                .build();
    }

    /** Accuracy overall and per label, measured by running the model on the held-out set. */
    private record Evaluation(double accuracy, Map<String, int[]> perLabel) {
    }

    private static Evaluation evaluate(ScaffoldModel model) {
        Map<String, int[]> perLabel = new LinkedHashMap<>();
        int correct = 0;
        for (String[] sample : HELDOUT_SAMPLES) {
            int[] counts = perLabel.computeIfAbsent(sample[0], k -> new int[2]);
            counts[1]++;
            if (model.predict(sample[1]).equals(sample[0])) {
                counts[0]++;
                correct++;
            }
        }
        return new Evaluation((double) correct / HELDOUT_SAMPLES.length, perLabel);
    }

    private static JsonObject evaluationCard(JsonObject subject, Sha256 heldout, Evaluation evaluation) {
        List<JsonValue> breakdown = new ArrayList<>();
        evaluation.perLabel().forEach((label, counts) -> breakdown.add(JsonObject.builder()
                .put("factor", "label")
                .put("level", label)
                .put("value", round((double) counts[0] / counts[1]))
                .put("samples", counts[1])
                .build()));
        return JsonObject.builder()
                .put("schema", "grove.evaluation/v1")
                .put("subject", subject)
                .put("evaluations", JsonArray.of(JsonObject.builder()
                        .put("dataset", JsonObject.builder()
                                .put("name", "grove-init-heldout")
                                .put("digest", heldout.toString())
                                .build())
                        .put("metrics", JsonArray.of(JsonObject.builder()
                                .put("name", "accuracy")
                                .put("value", round(evaluation.accuracy()))
                                .put("samples", HELDOUT_SAMPLES.length)
                                .put("breakdown", JsonArray.of(breakdown))
                                .build()))
                        .build()))
                .build();
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
