package dev.grove.cli.breed;

import dev.grove.cli.GardenDemo;
import dev.grove.node.Features;
import dev.grove.node.Node;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.TestNode;
import dev.grove.runtime.safetensors.SafetensorsFile;
import dev.grove.runtime.safetensors.SafetensorsWriter;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A real node re-runs quantize claims at publish: reproduced children are marked, forged ones refused with 422. */
class LineageReproductionNodeTest {
    @TempDir
    static Path tmp;
    static Vertx vertx;
    static Node node;
    static String registry;
    static NodeHttp http;
    static Path garden;
    static Path key;

    @BeforeAll
    static void start() throws Exception {
        garden = tmp.resolve("garden");
        Path data = GardenTest.DATA;
        Files.createDirectories(garden);
        Breeding.train(data.resolve("langid-train.tsv"), Breeding.mlp(256, "8", "1,2,3", "relu", 11),
                new dev.grove.runtime.train.TrainingOptions(5, 16, 0.01f, 1, 1f),
                new PackageWriter.Identity(new dev.grove.pkg.PackageName("lab", "langid"), "1.0.0", "test base",
                        "Apache-2.0", "text-classification", java.util.List.of()),
                target("langid", "langid-heldout.tsv"), dev.grove.runtime.train.TrainingProgress.NONE);
        Breeding.train(data.resolve("sentiment-train.tsv"), Breeding.mlp(128, "", "1,2,3", "relu", 2),
                new dev.grove.runtime.train.TrainingOptions(2, 16, 0.01f, 1, 1f),
                new PackageWriter.Identity(new dev.grove.pkg.PackageName("lab", "sentiment"), "1.0.0", "test base",
                        "ODbL-1.0", "text-classification", java.util.List.of()),
                target("sentiment", "sentiment-heldout.tsv"), dev.grove.runtime.train.TrainingProgress.NONE);
        Breeding.quantize(ParentPackage.load(garden.resolve("langid")), target("langid-int8", "langid-heldout.tsv"));
        Breeding.quantize(ParentPackage.load(garden.resolve("sentiment")), target("sentiment-int8", "sentiment-heldout.tsv"));

        vertx = Vertx.vertx();
        node = TestNode.start(vertx, tmp.resolve("node"), Features::all);
        registry = "http://127.0.0.1:" + node.port();
        http = new NodeHttp(node.port());
        key = tmp.resolve("lab.key");
        assertThat(GardenTest.grove("keygen", "--out", key.toString()).code()).isZero();
    }

    private static Breeding.Target target(String dir, String heldout) {
        return new Breeding.Target(garden.resolve(dir), Optional.empty(), Optional.empty(), Optional.empty(),
                GardenTest.DATA.resolve(heldout), "label", Optional.empty(), Optional.of("lab"));
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            TestNode.await(node.stop());
        }
        if (vertx != null) {
            TestNode.await(vertx.close());
        }
    }

    static GardenTest.Run publish(Path dir) {
        return GardenTest.grove("publish", dir.toString(), "--key", key.toString(), "--registry", registry);
    }

    @Test
    void reproducedQuantizeIsMarked_forgedIsRefused_unknownParentIsAccepted() throws Exception {
        assertThat(publish(garden.resolve("langid")).code()).isZero();
        GardenTest.Run int8 = publish(garden.resolve("langid-int8"));
        assertThat(int8.code()).as(int8.toString()).isZero();

        JsonObject doc = http.get("/v1/packages/lab/langid-int8/versions/1.0.0").json();
        assertThat(doc.getJsonObject("lineageReproduction").getBoolean("reproduced")).isTrue();
        assertThat(doc.getJsonObject("lineageReproduction").getString("reason")).contains("every tensor is identical");
        String digest = doc.getString("digest");
        JsonObject lineage = http.get("/v1/lineage/" + digest).json();
        JsonObject self = lineage.getJsonArray("nodes").stream().map(o -> (JsonObject) o)
                .filter(n -> digest.equals(n.getString("digest"))).findFirst().orElseThrow();
        assertThat(self.getBoolean("reproduced")).isTrue();
        JsonObject base = http.get("/v1/packages/lab/langid/versions/1.0.0").json();
        assertThat(base.getJsonObject("lineageReproduction").getValue("reproduced")).as("train is not re-run").isNull();

        // A forged claim: "quantize of lab/langid" with one int8 weight changed.
        Path forged = copy(garden.resolve("langid-int8"), tmp.resolve("forged"), "lab/langid-int8", "lab/langid-int8-forged");
        SafetensorsFile w = SafetensorsFile.parse(Files.readAllBytes(forged.resolve("weights/model.safetensors")));
        SafetensorsWriter writer = new SafetensorsWriter();
        for (var t : w.tensors()) {
            byte[] bytes = w.bytes(t.name());
            if (t.name().equals("dense1.weight")) {
                bytes[7] = (byte) (bytes[7] == 127 ? 126 : bytes[7] + 1);
            }
            writer.add(t.name(), t.dtype(), t.shape(), bytes);
        }
        Files.write(forged.resolve("weights/model.safetensors"), writer.toBytes());
        GardenTest.Run refused = publish(forged);
        assertThat(refused.code()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err()).contains("lineage claim does not reproduce")
                .contains("tensor 'dense1.weight' differs from the re-run at byte 7");
        assertThat(http.get("/v1/packages/lab/langid-int8-forged/versions/1.0.0").status()).isEqualTo(404);

        // A child whose parent this node does not hold: accepted, marked not reproduced.
        GardenTest.Run orphan = publish(garden.resolve("sentiment-int8"));
        assertThat(orphan.code()).as(orphan.toString()).isZero();
        JsonObject o = http.get("/v1/packages/lab/sentiment-int8/versions/1.0.0").json();
        assertThat(o.getJsonObject("lineageReproduction").getBoolean("reproduced")).isFalse();
        assertThat(o.getJsonObject("lineageReproduction").getString("reason")).startsWith("parent not on this node");
    }

    @Test
    void refusesForgedArchitecture() throws Exception {
        assertThat(publish(garden.resolve("langid")).code()).isZero();
        // weights claimed as the int8 child of langid, but the contract claims another bucket count: refused
        Path forged = copy(garden.resolve("langid-int8"), tmp.resolve("forged-arch"), "lab/langid-int8",
                "lab/langid-int8-arch");
        String contract = Files.readString(forged.resolve("grove.json"));
        Files.writeString(forged.resolve("grove.json"), contract.replace("\"activation\": \"relu\"",
                "\"activation\": \"tanh\""));
        GardenTest.Run refused = publish(forged);
        assertThat(refused.code()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err()).contains("lineage claim does not reproduce").contains("architecture");
    }

    /** The committed garden publishes into a node (as serve --demo does) and its quantize, merge and prune reproduce. */
    @Test
    void gardenPublishesAndReproduces() throws Exception {
        Path garden = GardenDemo.locate().orElseThrow();
        java.io.StringWriter log = new java.io.StringWriter();
        int failures = GardenDemo.publish(garden, tmp.resolve("demo"), key, registry, new java.io.PrintWriter(log, true));
        assertThat(failures).as(log.toString()).isZero();
        for (String pkg : new String[] {"langid-int8", "langid-merged", "langid-pruned"}) {
            JsonObject doc = http.get("/v1/packages/garden/" + pkg + "/versions/1.0.0").json();
            assertThat(doc.getJsonObject("lineageReproduction").getBoolean("reproduced")).as(pkg).isTrue();
        }
        JsonObject adapter = http.get("/v1/packages/garden/langid-nordic-adapter/versions/1.0.0").json();
        assertThat(adapter.getJsonObject("lineageReproduction").getBoolean("reproduced")).as("adapter").isTrue();
        JsonObject cascade = http.get("/v1/packages/garden/langid-cascade/versions/1.0.0").json();
        assertThat(cascade.getJsonObject("lineageReproduction").getBoolean("reproduced")).as("cascade").isTrue();
        JsonObject small = http.get("/v1/packages/garden/langid-small/versions/1.0.0").json();
        assertThat(small.getJsonObject("lineageReproduction").getValue("reproduced")).as("distill is not re-run").isNull();
    }

    /**
     * A cascade is accepted only with every member on the node under the digest it names, with the cascade's labels,
     * and with a mean cost that follows from the members' sizes and the shares answered; the refusals say which member
     * or figure is wrong, and nothing is stored.
     */
    @Test
    void cascadeNeedsItsMembersOnTheNode_withItsLabels_andACardThatAddsUp() throws Exception {
        Path dir = tmp.resolve("cascade");
        CascadeBreeding.breed(java.util.List.of(ParentPackage.load(garden.resolve("langid-int8")),
                        ParentPackage.load(garden.resolve("langid"))),
                new CascadeBreeding.Choice(dev.grove.pkg.CascadeRule.TOP_PROBABILITY,
                        GardenTest.DATA.resolve("langid-train.tsv"), "training data", 0.003,
                        CascadeBreeding.CostUnit.BYTES, false),
                new Breeding.Target(dir, Optional.of(new dev.grove.pkg.PackageName("lab", "langid-cascade")),
                        Optional.empty(), Optional.empty(), GardenTest.DATA.resolve("langid-heldout.tsv"), "label",
                        Optional.empty(), Optional.empty()));
        String int8Digest = ParentPackage.load(garden.resolve("langid-int8")).digest().toString();

        // a member that is not on this node
        Path absent = cascadeCopy(dir, tmp.resolve("cascade-absent"), "lab/langid-cascade", "lab/langid-cascade-absent");
        replaceEverywhere(absent, int8Digest, "sha256:" + "ab".repeat(32));
        GardenTest.Run noMember = publish(absent);
        assertThat(noMember.code()).as(noMember.toString()).isEqualTo(1);
        assertThat(noMember.err()).contains("cascade member 1 (lab/langid-int8@1.0.0, sha256:" + "ab".repeat(32)
                + ") is not on this node; publish every member before the cascade that names it");

        assertThat(publish(garden.resolve("langid")).code()).isZero();
        assertThat(publish(garden.resolve("langid-int8")).code()).isZero();
        assertThat(publish(garden.resolve("sentiment")).code()).isZero();

        // a member with other labels: sentiment in place of langid-int8
        Path wrong = cascadeCopy(dir, tmp.resolve("cascade-labels"), "lab/langid-cascade", "lab/langid-cascade-labels");
        String sentimentDigest = ParentPackage.load(garden.resolve("sentiment")).digest().toString();
        replaceEverywhere(wrong, int8Digest, sentimentDigest);
        replaceEverywhere(wrong, "lab/langid-int8", "lab/sentiment");
        GardenTest.Run labels = publish(wrong);
        assertThat(labels.code()).as(labels.toString()).isEqualTo(1);
        assertThat(labels.err()).contains("cascade member 1 (lab/sentiment@1.0.0, " + sentimentDigest + ") has outputs");

        // a card whose mean cost does not follow from the shares
        Path cost = cascadeCopy(dir, tmp.resolve("cascade-cost"), "lab/langid-cascade", "lab/langid-cascade-cost");
        String card = Files.readString(cost.resolve("evaluation.json"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"mean-bytes-loaded\", \"value\": ([0-9.]+)")
                .matcher(card);
        assertThat(m.find()).isTrue();
        Files.writeString(cost.resolve("evaluation.json"), card.replace(m.group(0),
                "\"mean-bytes-loaded\", \"value\": 100"));
        GardenTest.Run bytes = publish(cost);
        assertThat(bytes.code()).as(bytes.toString()).isEqualTo(1);
        assertThat(bytes.err()).contains("evaluation card: mean-bytes-loaded is 100.0000, but the members' contracts "
                + "and the shares answered give " + String.format(java.util.Locale.ROOT, "%.4f",
                Double.parseDouble(m.group(1))).substring(0, 3));
        for (String refused : new String[] {"langid-cascade-absent", "langid-cascade-labels", "langid-cascade-cost"}) {
            assertThat(http.get("/v1/packages/lab/" + refused + "/versions/1.0.0").status()).as(refused).isEqualTo(404);
        }

        GardenTest.Run ok = publish(dir);
        assertThat(ok.code()).as(ok.toString()).isZero();
        JsonObject doc = http.get("/v1/packages/lab/langid-cascade/versions/1.0.0").json();
        assertThat(doc.getJsonObject("lineageReproduction").getBoolean("reproduced")).isTrue();
        assertThat(doc.getJsonObject("lineageReproduction").getString("reason"))
                .contains("every member is on this node under the digest the cascade names");
        JsonObject graph = http.get("/v1/lineage/" + doc.getString("digest")).json();
        assertThat(graph.getJsonArray("edges").stream().map(o -> (JsonObject) o)
                .filter(e -> doc.getString("digest").equals(e.getString("child")))
                .map(e -> e.getString("operator")).toList()).as(graph.encode()).containsExactly("cascade", "cascade");

        // release: judged against its last member, on the mean cost its card states; its members' weights count as
        // its exportable weights
        dev.grove.node.feature.NodeServices services = node.services();
        dev.grove.node.release.ReleaseEvaluator evaluator = dev.grove.node.release.Release.open(services,
                dev.grove.node.log.NodeLog.open(services), node.config().release(),
                node.config().reports().minimumReports()).evaluator();
        dev.grove.node.testing.TestNode.await(evaluator.evaluate(doc.getString("digest")));
        // the version document shows the evaluation once its notification reached the node's kept documents
        io.vertx.core.json.JsonArray conditions = dev.grove.node.testing.Eventually.await(
                dev.grove.node.testing.Eventually.PATIENCE, () -> http.get("/v1/packages/lab/langid-cascade/versions/"
                        + "1.0.0").json().getJsonObject("release").getJsonArray("conditions"),
                c -> c != null && c.stream().anyMatch(o -> "efficiency".equals(
                        ((JsonObject) o).getString("name"))), "the cascade's release evaluation is served");
        java.util.Map<String, JsonObject> byName = new java.util.HashMap<>();
        conditions.forEach(c -> byName.put(((JsonObject) c).getString("name"), (JsonObject) c));
        long largestBytes = ParentPackage.load(garden.resolve("langid")).contract().object("resources").integer("bytes");
        assertThat(byName.get("efficiency").getString("reason")).contains("bytes loaded against " + largestBytes)
                .contains("of the parent");
        assertThat(byName.get("autonomy").getString("reason")).as("the members' weights are exportable")
                .contains("score 3 of 3");
    }

    /** A cascade directory (no weights) under another name, without its bundle. */
    static Path cascadeCopy(Path from, Path to, String oldName, String newName) throws Exception {
        Files.createDirectories(to);
        for (String f : new String[] {"grove.json", "lineage.json", "evaluation.json"}) {
            String text = Files.readString(from.resolve(f), StandardCharsets.UTF_8);
            Files.writeString(to.resolve(f), text.replace("\"" + oldName + "\"", "\"" + newName + "\""));
        }
        Files.copy(from.resolve(ModelCard.PATH), to.resolve(ModelCard.PATH));
        return to;
    }

    static void replaceEverywhere(Path dir, String from, String to) throws Exception {
        for (String f : new String[] {"grove.json", "lineage.json", "evaluation.json"}) {
            Files.writeString(dir.resolve(f), Files.readString(dir.resolve(f)).replace(from, to));
        }
    }

    /** A copy of a package directory under another name (contract and cards), with its model card, without its bundle. */
    static Path copy(Path from, Path to, String oldName, String newName) throws Exception {
        Files.createDirectories(to.resolve("weights"));
        for (String f : new String[] {"grove.json", "lineage.json", "evaluation.json"}) {
            String text = Files.readString(from.resolve(f), StandardCharsets.UTF_8);
            Files.writeString(to.resolve(f), text.replace("\"" + oldName + "\"", "\"" + newName + "\""));
        }
        Files.copy(from.resolve("weights/model.safetensors"), to.resolve("weights/model.safetensors"));
        Files.copy(from.resolve(ModelCard.PATH), to.resolve(ModelCard.PATH));
        return to;
    }
}
