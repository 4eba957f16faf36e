package dev.grove.cli.breed;

import dev.grove.node.Features;
import dev.grove.node.Node;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.TestNode;
import dev.grove.runtime.breed.AdapterParams;
import dev.grove.runtime.model.LoraAdapter;
import dev.grove.runtime.safetensors.SafetensorsFile;
import dev.grove.runtime.safetensors.SafetensorsWriter;
import dev.grove.runtime.train.TrainingOptions;
import dev.grove.runtime.train.TrainingProgress;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real node checks an adapter against its base at publish (the base on the node by digest, the tensors' shapes,
 * dtype and rank) and re-runs its training on the data it carries: a reproduced adapter is marked, a forged or
 * misfitting one refused with 422, one whose base is absent refused with what to do.
 */
class AdapterNodeTest {
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
        // a small base on the UDHR clauses (ten languages), and its adapter on their sv, da and nb clauses
        Path nordic = tmp.resolve("langid-nordic-train.tsv");
        Files.write(nordic, Files.readAllLines(data.resolve("langid-udhr-train.tsv"), StandardCharsets.UTF_8).stream()
                .filter(l -> l.startsWith("sv\t") || l.startsWith("da\t") || l.startsWith("nb\t")).toList(),
                StandardCharsets.UTF_8);
        Breeding.train(data.resolve("langid-udhr-train.tsv"), Breeding.mlp(256, "8", "1,2,3", "relu", 10),
                new TrainingOptions(5, 16, 0.01f, 1, 1f),
                new PackageWriter.Identity(new dev.grove.pkg.PackageName("lab", "langid"), "1.0.0", "test base",
                        "Apache-2.0", "text-classification", List.of()),
                target("langid"), TrainingProgress.NONE);
        ParentPackage base = ParentPackage.load(garden.resolve("langid"));
        Breeding.adapter(base, nordic, new AdapterParams(AdapterParams.LORA,
                new LoraAdapter(1, 4f), List.of("dense0", "dense1"), new TrainingOptions(2, 16, 0.003f, 7, 1f)),
                target("langid-adapter"), TrainingProgress.NONE);
        vertx = Vertx.vertx();
        node = TestNode.start(vertx, tmp.resolve("node"), Features::all);
        registry = "http://127.0.0.1:" + node.port();
        http = new NodeHttp(node.port());
        key = tmp.resolve("lab.key");
        assertThat(GardenTest.grove("keygen", "--out", key.toString()).code()).isZero();
    }

    private static Breeding.Target target(String dir) {
        return new Breeding.Target(garden.resolve(dir), Optional.empty(), Optional.empty(), Optional.empty(),
                GardenTest.DATA.resolve("langid-udhr-heldout.tsv"), "label", Optional.empty(), Optional.of("lab"));
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
    void adapterIsCheckedAgainstItsBaseAndReproduced() throws Exception {
        // before its base: refused, saying what to do
        Path early = copy(garden.resolve("langid-adapter"), tmp.resolve("early"), "lab/langid-adapter",
                "lab/langid-adapter-early");
        GardenTest.Run refused = publish(early);
        assertThat(refused.code()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err()).contains("adapter: its base lab/langid@1.0.0 (sha256:")
                .contains("is not on this node; publish the base here first");

        assertThat(publish(garden.resolve("langid")).code()).isZero();
        GardenTest.Run ok = publish(garden.resolve("langid-adapter"));
        assertThat(ok.code()).as(ok.toString()).isZero();
        JsonObject doc = http.get("/v1/packages/lab/langid-adapter/versions/1.0.0").json();
        assertThat(doc.getJsonObject("lineageReproduction").getBoolean("reproduced")).isTrue();
        assertThat(doc.getJsonObject("lineageReproduction").getString("reason"))
                .isEqualTo("re-ran adapter training (lora, rank 1) on the base lab/langid@1.0.0 and the data the "
                        + "package carries: every tensor is identical");
        // the lineage graph has the adapter's edge to its base
        String digest = doc.getString("digest");
        String baseDigest = http.get("/v1/packages/lab/langid/versions/1.0.0").json().getString("digest");
        String graph = http.get("/v1/lineage/" + digest).body();
        assertThat(graph).contains(baseDigest).contains("\"adapter\"");

        // forged: one element of B changed
        Path forged = copy(garden.resolve("langid-adapter"), tmp.resolve("forged"), "lab/langid-adapter",
                "lab/langid-adapter-forged");
        SafetensorsFile w = SafetensorsFile.parse(Files.readAllBytes(forged.resolve("weights/model.safetensors")));
        SafetensorsWriter writer = new SafetensorsWriter();
        for (var t : w.tensors()) {
            byte[] bytes = w.bytes(t.name());
            if (t.name().equals("dense1.lora_b")) {
                bytes[4] ^= 1;
            }
            writer.add(t.name(), t.dtype(), t.shape(), bytes);
        }
        Files.write(forged.resolve("weights/model.safetensors"), writer.toBytes());
        GardenTest.Run f = publish(forged);
        assertThat(f.code()).as(f.toString()).isEqualTo(1);
        assertThat(f.err()).contains("lineage claim does not reproduce: re-running the adapter's training on "
                + "lab/langid@1.0.0 gives other weights: tensor 'dense1.lora_b' differs from the re-run at byte 4");
        assertThat(http.get("/v1/packages/lab/langid-adapter-forged/versions/1.0.0").status()).isEqualTo(404);

        // another rank than its tensors have: does not fit
        Path misfit = copy(garden.resolve("langid-adapter"), tmp.resolve("misfit"), "lab/langid-adapter",
                "lab/langid-adapter-misfit");
        String contract = Files.readString(misfit.resolve("grove.json"));
        Files.writeString(misfit.resolve("grove.json"), contract.replace("\"rank\": 1", "\"rank\": 2"));
        GardenTest.Run m = publish(misfit);
        assertThat(m.code()).as(m.toString()).isEqualTo(1);
        assertThat(m.err()).contains("adapter does not fit its base lab/langid@1.0.0: tensor 'dense0.lora_a' has "
                + "shape [1, 256], expected [2, 256]");
        assertThat(http.get("/v1/packages/lab/langid-adapter-misfit/versions/1.0.0").status()).isEqualTo(404);

        pullRunAndVerifyFetchTheBase();
    }

    private void pullRunAndVerifyFetchTheBase() throws Exception {
        String text = "Alle mennesker er født frie og med samme menneskeverd og menneskerettigheter";
        GardenTest.Run run = GardenTest.grove("run", "lab/langid-adapter@1.0.0", "--input", text, "--json",
                "--registry", registry);
        assertThat(run.code()).as(run.toString()).isZero();
        assertThat(run.err()).contains("pulled lab/langid@1.0.0");
        io.vertx.core.json.JsonObject result = new io.vertx.core.json.JsonObject(run.out());
        assertThat(result.getString("package")).isEqualTo("lab/langid-adapter@1.0.0");
        float[] expected = AdapterPackage.load(garden.resolve("langid-adapter"))
                .model(ParentPackage.load(garden.resolve("langid"))).predict(text);
        float[] plain = ParentPackage.load(garden.resolve("langid")).model().predict(text);
        io.vertx.core.json.JsonObject p = result.getJsonArray("results").getJsonObject(0).getJsonObject("probabilities");
        List<String> labels = List.of("en", "fr", "de", "es", "it", "pt", "nl", "sv", "da", "nb");
        for (int k = 0; k < labels.size(); k++) {
            assertThat(p.getDouble(labels.get(k)).floatValue()).as(labels.get(k)).isEqualTo(expected[k]);
        }
        assertThat(expected).as("the adapter changes the base's outputs").isNotEqualTo(plain);

        Path pulled = tmp.resolve("pulled-adapter");
        GardenTest.Run pull = GardenTest.grove("pull", "lab/langid-adapter@1.0.0", "--registry", registry, "--out",
                pulled.toString());
        assertThat(pull.code()).as(pull.toString()).isZero();
        assertThat(pull.out()).contains("  base        lab/langid@1.0.0 sha256:");
        GardenTest.Run verify = GardenTest.grove("verify", pulled.toString());
        assertThat(verify.code()).as(verify.toString()).isZero();
        assertThat(verify.out()).contains("  base        lab/langid@1.0.0 sha256:");
        assertThat(GardenTest.grove("cache", "clear").code()).isZero();
        GardenTest.Run without = GardenTest.grove("verify", pulled.toString());
        assertThat(without.code()).as(without.toString()).isEqualTo(1);
        assertThat(without.err()).contains("the adapter's base lab/langid@1.0.0 (sha256:")
                .contains("is not in the package cache; pull it first (grove pull lab/langid@1.0.0 --registry URL) or "
                        + "give --base DIR");
    }

    /** A copy under another name (contract and cards), with its weights, data and model card, without its bundle. */
    static Path copy(Path from, Path to, String oldName, String newName) throws Exception {
        Files.createDirectories(to.resolve("weights"));
        Files.createDirectories(to.resolve("data"));
        for (String f : new String[] {"grove.json", "lineage.json", "evaluation.json"}) {
            String text = Files.readString(from.resolve(f), StandardCharsets.UTF_8);
            Files.writeString(to.resolve(f), text.replace("\"" + oldName + "\"", "\"" + newName + "\""));
        }
        Files.copy(from.resolve("weights/model.safetensors"), to.resolve("weights/model.safetensors"));
        Files.copy(from.resolve("data/langid-nordic-train.tsv"), to.resolve("data/langid-nordic-train.tsv"));
        Files.copy(from.resolve(ModelCard.PATH), to.resolve(ModelCard.PATH));
        return to;
    }
}
