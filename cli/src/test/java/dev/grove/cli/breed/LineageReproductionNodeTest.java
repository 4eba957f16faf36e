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
        JsonObject small = http.get("/v1/packages/garden/langid-small/versions/1.0.0").json();
        assertThat(small.getJsonObject("lineageReproduction").getValue("reproduced")).as("distill is not re-run").isNull();
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
