package dev.grove.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.cli.breed.ParentPackage;
import dev.grove.cli.command.CommandFailure;
import dev.grove.json.Json;
import dev.grove.json.JsonNumber;
import dev.grove.json.JsonObject;
import dev.grove.node.Features;
import dev.grove.node.Node;
import dev.grove.node.testing.TestNode;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code grove run} on the garden, published to a real node (PostgreSQL, loopback HTTP, real signatures). */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class RunCommandTest {
    static final String GERMAN = "Alle Menschen sind frei und gleich an Würde und Rechten geboren.";
    static final String ENGLISH = "All human beings are born free and equal in dignity and rights.";

    @TempDir
    static Path data;
    static Vertx vertx;
    static Node node;
    static String registry;
    static Path garden;

    @TempDir
    Path dir;

    @BeforeAll
    static void publishGarden() throws Exception {
        vertx = Vertx.vertx();
        node = TestNode.start(vertx, data.resolve("node"), Features::all);
        registry = "http://127.0.0.1:" + node.port();
        Path demo = Files.createDirectories(data.resolve("demo"));
        Path key = demo.resolve("demo.key");
        assertThat(GroveCli.run("keygen", "--out", key.toString()).exitCode()).isZero();
        garden = GardenDemo.locate().orElseThrow(() -> new AssertionError("examples/garden not found"));
        StringWriter log = new StringWriter();
        assertThat(GardenDemo.publish(garden, demo, key, registry, new PrintWriter(log, true))).as(log.toString())
                .isZero();
    }

    @AfterAll
    static void stop() {
        TestNode.stop(node, vertx);
    }

    @Test
    void aReferenceIsPulledVerifiedAndRun() {
        GroveCli.Result run = GroveCli.run("run", "garden/langid@1.0.0", "--input", GERMAN, "--input", ENGLISH,
                "--top", "2", "--registry", registry);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("\"" + GERMAN + "\"");
        assertThat(lines.get(1)).startsWith("  de ");
        assertThat(lines.get(4)).isEqualTo("\"" + ENGLISH + "\"");
        assertThat(lines.get(5)).startsWith("  en ");
        assertThat(run.out()).contains("garden/langid@1.0.0: mlp, loaded in");
        // what was verified, on standard error
        // the weights and the README.md model card
        assertThat(run.err()).contains("pulled garden/langid@1.0.0").contains("artifacts   2 verified");
    }

    @Test
    void jsonGivesTheEnginesProbabilitiesForThePulledWeights() throws Exception {
        GroveCli.Result run = GroveCli.run("run", "garden/langid-int8", "--input", GERMAN, "--json",
                "--registry", registry);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonObject doc = Json.parseObject(run.out().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(doc.string("package")).isEqualTo("garden/langid-int8@1.0.0");
        JsonObject result = doc.array("results").object(0);
        assertThat(result.string("label")).isEqualTo("de");
        ParentPackage committed = ParentPackage.load(garden.resolve("langid-int8"));
        float[] expected = committed.model().predict(GERMAN);
        JsonObject probabilities = result.object("probabilities");
        assertThat(probabilities.members()).hasSize(expected.length);
        for (int k = 0; k < expected.length; k++) {
            double got = ((JsonNumber) probabilities.get(committed.labels().get(k)).orElseThrow()).doubleValue();
            assertThat((float) got).as(committed.labels().get(k)).isEqualTo(expected[k]);
        }
    }

    /**
     * A cascade pulled by reference: each member is pulled and verified when an input first reaches it, and each
     * result says which member answered, with that member's probabilities. Last: it fills the package cache with
     * garden/langid, which another test pulls for the first time.
     */
    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE)
    void aCascadeRunsItsMembersPulledWhenAnInputReachesThem() throws Exception {
        dev.grove.pkg.CascadeConfig config = dev.grove.pkg.CascadeConfig.fromArchitecture(Json.parseObject(
                Files.readAllBytes(garden.resolve("langid-cascade/grove.json"))).object("architecture"));
        ParentPackage small = ParentPackage.load(garden.resolve("langid-small-int8"));
        ParentPackage large = ParentPackage.load(garden.resolve("langid"));
        String unsure = null;
        dev.grove.runtime.train.Dataset held = dev.grove.runtime.train.Dataset.parse(Files.readAllBytes(
                garden.resolve("../data/langid-heldout.tsv")));
        for (int i = 0; i < held.size() && unsure == null; i++) {
            unsure = config.answers(0, small.model().predict(held.text(i))) ? null : held.text(i);
        }
        assertThat(config.answers(0, small.model().predict(GERMAN))).isTrue();

        GroveCli.Result sure = GroveCli.run("run", "garden/langid-cascade@1.0.0", "--input", GERMAN, "--json",
                "--registry", registry);
        assertThat(sure.exitCode()).as(sure.toString()).isZero();
        JsonObject r0 = Json.parseObject(sure.out().getBytes(java.nio.charset.StandardCharsets.UTF_8)).array("results")
                .object(0);
        assertThat(r0.string("member")).isEqualTo("garden/langid-small-int8@1.0.0");
        assertThat(r0.string("label")).isEqualTo("de");
        assertThat(sure.err()).contains("pulled garden/langid-small-int8@1.0.0").doesNotContain("pulled garden/langid@");

        GroveCli.Result escalated = GroveCli.run("run", "garden/langid-cascade@1.0.0", "--input", unsure, "--json",
                "--registry", registry);
        assertThat(escalated.exitCode()).as(escalated.toString()).isZero();
        JsonObject r1 = Json.parseObject(escalated.out().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .array("results").object(0);
        assertThat(r1.string("member")).isEqualTo("garden/langid@1.0.0");
        float[] expected = large.model().predict(unsure);
        for (int k = 0; k < expected.length; k++) {
            double got = ((JsonNumber) r1.object("probabilities").get(large.labels().get(k)).orElseThrow()).doubleValue();
            assertThat((float) got).as(large.labels().get(k)).isEqualTo(expected[k]);
        }

        // --inputs: one line per input, in order, each naming the member that answered
        Path lines = dir.resolve("cascade-inputs.txt");
        Files.writeString(lines, GERMAN + "\n" + unsure + "\n", java.nio.charset.StandardCharsets.UTF_8);
        GroveCli.Result batch = GroveCli.run("run", "garden/langid-cascade@1.0.0", "--inputs", lines.toString(),
                "--json", "--registry", registry);
        assertThat(batch.exitCode()).as(batch.toString()).isZero();
        List<String> out = batch.out().lines().toList();
        assertThat(out).hasSize(2);
        JsonObject b0 = Json.parseObject(out.get(0).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        JsonObject b1 = Json.parseObject(out.get(1).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(b0.string("member")).isEqualTo("garden/langid-small-int8@1.0.0");
        assertThat(b0.string("label")).isEqualTo("de");
        assertThat(b1.string("member")).isEqualTo("garden/langid@1.0.0");
        assertThat(b1.string("label")).isEqualTo(large.labels().get(dev.grove.runtime.train.Evaluation.argmax(expected)));
    }

    @Test
    void aPulledDirectoryRuns_andATamperedOneIsRefusedBeforeItRuns() throws Exception {
        Path pulled = dir.resolve("langid");
        GroveCli.Result pull = GroveCli.run("pull", "garden/langid@1.0.0", "--registry", registry, "--out",
                pulled.toString());
        assertThat(pull.exitCode()).as(pull.toString()).isZero();

        GroveCli.Result run = GroveCli.run("run", pulled.toString(), "--input", GERMAN);
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out().lines().skip(1).findFirst().orElseThrow()).startsWith("  de ");
        assertThat(run.err()).startsWith("verified garden/langid@1.0.0 sha256:");

        Path weights = pulled.resolve("weights/model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 1] ^= 1;
        Files.write(weights, bytes);
        GroveCli.Result tampered = GroveCli.run("run", pulled.toString(), "--input", GERMAN);
        assertThat(tampered.exitCode()).isEqualTo(CommandFailure.REFUSED);
        assertThat(tampered.out()).isEmpty();
        assertThat(tampered.err()).startsWith("error: ").contains("weights/model.safetensors");
    }

    @Test
    void aPackageThatDoesNotPullRunsNothing() {
        GroveCli.Result run = GroveCli.run("run", "garden/absent@1.0.0", "--input", GERMAN, "--registry", registry);

        assertThat(run.exitCode()).isEqualTo(CommandFailure.REFUSED);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("nothing was run: garden/absent@1.0.0 did not pull and verify");
    }

    /** --inputs FILE: one verified load, one JSON line per input line, in order, with the engine's probabilities. */
    @Test
    void inputsFileGivesOneJsonLinePerLine_fromOneVerifiedPull() throws Exception {
        String french = "Tous les êtres humains naissent libres et égaux en dignité et en droits.";
        Path file = dir.resolve("texts.txt");
        Files.writeString(file, GERMAN + "\n" + ENGLISH + "\r\n" + french + "\n");

        GroveCli.Result run = GroveCli.run("run", "garden/langid-merged@1.0.0", "--inputs", file.toString(), "--json",
                "--registry", registry);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(3);
        ParentPackage committed = ParentPackage.load(garden.resolve("langid-merged"));
        List<String> texts = List.of(GERMAN, ENGLISH, french);
        List<String> expectedLabels = List.of("de", "en", "fr");
        for (int i = 0; i < 3; i++) {
            JsonObject line = Json.parseObject(lines.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(line.members()).as(lines.get(i)).containsOnlyKeys("label", "probabilities");
            assertThat(line.string("label")).isEqualTo(expectedLabels.get(i));
            float[] expected = committed.model().predict(texts.get(i));
            JsonObject probabilities = line.object("probabilities");
            assertThat(probabilities.members()).hasSize(expected.length);
            for (int k = 0; k < expected.length; k++) {
                double got = ((JsonNumber) probabilities.get(committed.labels().get(k)).orElseThrow()).doubleValue();
                assertThat((float) got).as(i + ": " + committed.labels().get(k)).isEqualTo(expected[k]);
            }
        }
        // pulled and verified once for the whole file
        assertThat(run.err().split("pulled garden/langid-merged@1.0.0", -1)).hasSize(2);
        assertThat(run.err()).contains("garden/langid-merged@1.0.0: 3 input(s) from " + file);
    }

    @Test
    void inputsFromStandardInput_printLabelAndProbabilityPerLine() throws Exception {
        Path pulled = dir.resolve("langid");
        assertThat(GroveCli.run("pull", "garden/langid@1.0.0", "--registry", registry, "--out", pulled.toString())
                .exitCode()).isZero();
        java.io.InputStream stdin = System.in;
        GroveCli.Result run;
        try {
            System.setIn(new java.io.ByteArrayInputStream((ENGLISH + "\n" + GERMAN + "\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            run = GroveCli.run("run", pulled.toString(), "--inputs", "-");
        } finally {
            System.setIn(stdin);
        }

        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(2);
        float[] english = ParentPackage.load(pulled).model().predict(ENGLISH);
        float best = 0;
        for (float v : english) {
            best = Math.max(best, v);
        }
        assertThat(lines.get(0)).isEqualTo(String.format(java.util.Locale.ROOT, "en\t%.4f", best));
        assertThat(lines.get(1)).startsWith("de\t");
        assertThat(run.err()).contains("2 input(s) from standard input");
    }

    @Test
    void badInputsAreRefusedWithWhatToDo() throws Exception {
        GroveCli.Result missing = GroveCli.run("run", "garden/langid-pruned@1.0.0", "--inputs", dir.resolve("nope.txt")
                .toString(), "--registry", registry);
        assertThat(missing.exitCode()).isEqualTo(CommandFailure.USAGE);
        assertThat(missing.out()).isEmpty();
        assertThat(missing.err()).startsWith("error: cannot read --inputs ").contains("nothing was run")
                .doesNotContain("pulled");

        GroveCli.Result both = GroveCli.run("run", "garden/langid-pruned@1.0.0", "--input", GERMAN, "--inputs", "-",
                "--registry", registry);
        assertThat(both.exitCode()).isEqualTo(CommandFailure.USAGE);
        assertThat(both.err()).contains("either --input TEXT or --inputs FILE, not both");

        GroveCli.Result none = GroveCli.run("run", "garden/langid-pruned@1.0.0", "--registry", registry);
        assertThat(none.exitCode()).isEqualTo(CommandFailure.USAGE);
        assertThat(none.err()).contains("--inputs FILE with one text per line");

        Path latin1 = dir.resolve("latin1.txt");
        byte[] first = (GERMAN + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] second = "W\u00fcrde\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] bytes = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, bytes, first.length, second.length);
        Files.write(latin1, bytes);
        GroveCli.Result bad = GroveCli.run("run", "garden/langid-pruned@1.0.0", "--inputs", latin1.toString(), "--json",
                "--registry", registry);
        assertThat(bad.exitCode()).isEqualTo(CommandFailure.USAGE);
        assertThat(bad.out().lines().toList()).hasSize(1);
        assertThat(bad.err())
                .contains("error: line 2 of " + latin1 + " is not UTF-8 text; 1 line(s) before it were run");
    }
}
