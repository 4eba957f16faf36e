package dev.grove.cli;

import dev.grove.cli.command.CommandFailure;
import dev.grove.crypto.SigningKeyFile;
import dev.grove.json.Json;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonValue;
import dev.grove.node.Features;
import dev.grove.node.Node;
import dev.grove.node.testing.TestNode;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --json} of the commands that print a result, against a real node: the output is one JSON document that parses,
 * and its fields say what the human text says (digests, paths, what changed).
 */
class JsonOutputTest {

    @TempDir
    static Path nodeData;

    private static Vertx vertx;
    private static Node node;
    private static String registry;

    @TempDir
    Path dir;

    @BeforeAll
    static void startNode() {
        vertx = Vertx.vertx();
        node = TestNode.start(vertx, nodeData, Features::all);
        registry = "http://127.0.0.1:" + node.port();
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            TestNode.stop(node, vertx);
        }
    }

    /** Runs grove with these arguments, expects this exit code, and parses standard output as one JSON object. */
    private static JsonObject json(int exitCode, String... args) {
        GroveCli.Result result = GroveCli.run(args);
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(exitCode);
        assertThat(result.out().lines().count()).as("one line of JSON: " + result).isEqualTo(1);
        return Json.parseObject(result.out());
    }

    private static JsonObject json(String... args) {
        return json(0, args);
    }

    private static List<String> strings(JsonArray array) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            out.add(array.string(i));
        }
        return out;
    }

    private Path keygen(String name) {
        JsonObject key = json("keygen", "--out", dir.resolve(name + ".key").toString(), "--json");
        return Path.of(key.string("file"));
    }

    private Path init(String name, String folder) {
        Path pkg = dir.resolve(folder);
        json("init", name, "--dir", pkg.toString(), "--task", "language-id", "--json");
        return pkg;
    }

    @Test
    void keygen_namesTheKeyItWrote() throws Exception {
        Path file = dir.resolve("keys/k.key");
        JsonObject key = json("keygen", "--out", file.toString(), "--json");

        var written = SigningKeyFile.read(Files.readString(file, StandardCharsets.UTF_8));
        assertThat(key.string("keyId")).isEqualTo(written.keyId().hex());
        assertThat(key.string("publicKey")).isEqualTo(written.publicKey().base64());
        assertThat(Path.of(key.string("file"))).isEqualTo(file.toAbsolutePath().normalize());
    }

    @Test
    void init_namesTheDirectoryAndRef() {
        Path pkg = dir.resolve("pkg");
        JsonObject made = json("init", "jinit/langid", "--dir", pkg.toString(), "--task", "language-id", "--json");

        assertThat(made.string("ref")).isEqualTo("jinit/langid@0.1.0");
        assertThat(made.string("task")).isEqualTo("language-id");
        assertThat(Path.of(made.string("dir"))).isEqualTo(pkg.toAbsolutePath().normalize());
        assertThat(pkg.resolve("grove.json")).exists();
        assertThat(strings(made.array("labels"))).containsExactlyInAnyOrder("de", "en", "fr");
        assertThat(made.number("accuracy")).isBetween(0.0, 1.0);
        assertThat(made.integer("samples")).isPositive();
    }

    @Test
    void publish_dryRunThenPublish_thenPullVerifyYank() throws Exception {
        Path key = keygen("alice");
        String keyId = SigningKeyFile.read(Files.readString(key)).keyId().hex();
        Path pkg = init("jtrip/langid", "langid");

        JsonObject dry = json("publish", pkg.toString(), "--key", key.toString(), "--registry", registry, "--dry-run",
                "--json");
        assertThat(dry.bool("dryRun")).isTrue();
        assertThat(dry.bool("created")).isFalse();
        assertThat(dry.string("ref")).isEqualTo("jtrip/langid@0.1.0");
        assertThat(dry.string("signedBy")).isEqualTo(keyId);
        assertThat(dry.has("logIndex")).isFalse();
        assertThat(pkg.resolve("grove.bundle.json")).as("a dry run writes nothing").doesNotExist();
        String digest = dry.string("digest");
        assertThat(digest).matches("sha256:[0-9a-f]{64}");

        JsonObject published = json("publish", pkg.toString(), "--key", key.toString(), "--registry", registry, "--json");
        assertThat(published.bool("dryRun")).isFalse();
        assertThat(published.bool("created")).isTrue();
        assertThat(published.string("digest")).isEqualTo(digest);
        assertThat(published.integer("logIndex")).isNotNegative();
        JsonObject weights = published.array("artifacts").object(0);
        assertThat(weights.string("path")).isEqualTo("weights/model.safetensors");
        assertThat(weights.integer("size")).isEqualTo(Files.size(pkg.resolve("weights/model.safetensors")));

        JsonObject again = json("publish", pkg.toString(), "--key", key.toString(), "--registry", registry, "--json");
        assertThat(again.bool("created")).as("the identical package again").isFalse();
        assertThat(again.string("digest")).isEqualTo(digest);

        Path pulled = dir.resolve("pulled");
        JsonObject pull = json("pull", "jtrip/langid@0.1.0", "--registry", registry, "--out", pulled.toString(),
                "--trusted-key", keyId, "--json");
        assertThat(pull.string("ref")).isEqualTo("jtrip/langid@0.1.0");
        assertThat(pull.string("digest")).isEqualTo(digest);
        assertThat(Path.of(pull.string("path"))).isEqualTo(pulled.toAbsolutePath().normalize());
        assertThat(pull.bool("cached")).isFalse();
        assertThat(pull.bool("yanked")).isFalse();
        assertThat(pull.array("artifacts")).isEqualTo(published.array("artifacts"));
        long total = 0;
        for (JsonValue a : published.array("artifacts")) {
            total += ((JsonObject) a).integer("size");
        }
        assertThat(pull.integer("bytes")).as("every artifact, the weights and the model card").isEqualTo(total);
        List<String> checks = new ArrayList<>();
        for (JsonValue c : pull.array("checks")) {
            checks.add(((JsonObject) c).string("name"));
        }
        assertThat(checks).contains("log");
        assertThat(pulled.resolve("weights/model.safetensors")).hasSameBinaryContentAs(
                pkg.resolve("weights/model.safetensors"));

        // into the cache, then from it
        JsonObject first = json("pull", "jtrip/langid@0.1.0", "--registry", registry, "--json");
        JsonObject cached = json("pull", "jtrip/langid@0.1.0", "--registry", registry, "--json");
        assertThat(first.bool("cached")).isFalse();
        assertThat(cached.bool("cached")).isTrue();
        assertThat(cached.string("path")).isEqualTo(first.string("path"));

        JsonObject verified = json("verify", pulled.toString(), "--trusted-key", keyId, "--json");
        assertThat(verified.bool("ok")).isTrue();
        assertThat(verified.string("digest")).isEqualTo(digest);
        assertThat(verified.bool("trusted")).isTrue();
        assertThat(strings(verified.array("signers"))).containsExactly(keyId);
        assertThat(verified.string("log")).contains("entry");
        assertThat(Path.of(verified.string("path"))).isEqualTo(pulled.toAbsolutePath().normalize());

        JsonObject remote = json("verify", "jtrip/langid@0.1.0", "--registry", registry, "--json");
        assertThat(remote.bool("ok")).isTrue();
        assertThat(remote.string("digest")).isEqualTo(digest);

        Files.writeString(pulled.resolve("weights/model.safetensors"), "tampered");
        JsonObject refused = json(CommandFailure.REFUSED, "verify", pulled.toString(), "--json");
        assertThat(refused.bool("ok")).isFalse();
        assertThat(refused.string("error")).contains("weights/model.safetensors");

        JsonObject trust = json("trust", "list", "--json");
        List<String> origins = new ArrayList<>();
        for (JsonValue v : trust.array("logs")) {
            origins.add(((JsonObject) v).string("origin"));
            assertThat(((JsonObject) v).string("key")).startsWith(((JsonObject) v).string("origin") + "+");
        }
        assertThat(origins).as(trust.toString()).hasSize(1);
        assertThat(origins.get(0)).contains(":" + node.port() + "/");

        String origin = origins.get(0);
        JsonObject again2 = json("trust", "pin", origin, "--json");
        assertThat(again2.bool("changed")).as("already pinned by the pull").isFalse();
        JsonObject forgot = json("trust", "forget", origin, "--json");
        assertThat(forgot.bool("forgotten")).isTrue();
        assertThat(json("trust", "list", "--json").array("logs").isEmpty()).isTrue();
        JsonObject pinned = json("trust", "pin", origin, "--json");
        assertThat(pinned.bool("changed")).isTrue();
        assertThat(pinned.string("key")).isEqualTo(trust.array("logs").object(0).string("key"));

        JsonObject yanked = json("yank", "jtrip/langid@0.1.0", "--reason", "superseded", "--key", key.toString(),
                "--registry", registry, "--json");
        assertThat(yanked.bool("changed")).isTrue();
        assertThat(yanked.string("digest")).isEqualTo(digest);
        assertThat(yanked.string("reason")).isEqualTo("superseded");
        JsonObject twice = json("yank", "jtrip/langid@0.1.0", "--reason", "superseded", "--key", key.toString(),
                "--registry", registry, "--json");
        assertThat(twice.bool("changed")).isFalse();

        JsonObject afterYank = json("pull", "jtrip/langid@0.1.0", "--registry", registry, "--out",
                dir.resolve("yanked").toString(), "--json");
        assertThat(afterYank.bool("yanked")).isTrue();
        assertThat(afterYank.string("yankReason")).isEqualTo("superseded");

        JsonObject exported = json("export", "--registry", registry, "--out", dir.resolve("export").toString(), "--json");
        // other tests of this class publish to the same node: at least this package is exported
        assertThat(exported.integer("versionDocuments")).isPositive();
        assertThat(exported.integer("namespaceDocuments")).isGreaterThanOrEqualTo(1);
        assertThat(exported.integer("blobsFetched")).isEqualTo(exported.integer("blobs")).isPositive();
        assertThat(exported.integer("size")).isGreaterThanOrEqualTo(2);
        assertThat(origins.get(0)).isEqualTo(exported.string("origin"));
    }

    @Test
    void keyset_showAndRotate() throws Exception {
        Path key = keygen("owner");
        Path next = keygen("next");
        String ownerId = SigningKeyFile.read(Files.readString(key)).keyId().hex();
        String nextId = SigningKeyFile.read(Files.readString(next)).keyId().hex();
        Path pkg = init("jkeys/langid", "keys");
        json("publish", pkg.toString(), "--key", key.toString(), "--registry", registry, "--json");

        JsonObject shown = json("keyset", "show", "jkeys", "--registry", registry, "--json");
        assertThat(shown.string("namespace")).isEqualTo("jkeys");
        assertThat(shown.integer("sequence")).isEqualTo(1);

        JsonObject rotated = json("keyset", "rotate", "jkeys", "--key", key.toString(), "--add", next.toString(),
                "--registry", registry, "--json");
        assertThat(rotated.integer("sequence")).isEqualTo(2);
        assertThat(strings(rotated.array("keys"))).containsExactlyInAnyOrder(ownerId, nextId);
        assertThat(json("keyset", "show", "jkeys", "--registry", registry, "--json").integer("sequence")).isEqualTo(2);
    }

    @Test
    void peers_ofANodeThatFollowsNone() {
        JsonObject peers = json("peers", "--registry", registry, "--evidence", "--json");
        assertThat(peers.array("peers").isEmpty()).isTrue();
        assertThat(peers.array("logs").isEmpty()).isTrue();
        assertThat(peers.array("evidence").isEmpty()).isTrue();
    }

    @Test
    void peersVerifyEvidence_namesEachRecordThatDoesNotVerify() throws Exception {
        Path file = dir.resolve("evidence.json");
        Files.writeString(file, "{\"evidence\":[{\"id\":7,\"statements\":[]}]}");

        JsonObject checked = json(CommandFailure.REFUSED, "peers", "verify-evidence", file.toString(), "--json");

        assertThat(checked.bool("ok")).isFalse();
        JsonObject record = checked.array("records").object(0);
        assertThat(record.string("label")).isEqualTo("evidence #7");
        assertThat(record.bool("ok")).isFalse();
        assertThat(record.string("error")).contains("cannot be checked offline");
    }

    @Test
    void train_thenBreedQuantize_nameTheDirectoryAndRef() {
        Path base = init("jbreed/seed", "seed");
        Path trained = dir.resolve("trained");
        JsonObject train = json("train", "--name", "jbreed/small", "--package-version", "0.3.0", "--data",
                base.resolve("data/train.tsv").toString(), "--heldout", base.resolve("data/heldout.tsv").toString(),
                "--out", trained.toString(), "--epochs", "2", "--json");
        assertThat(train.string("ref")).isEqualTo("jbreed/small@0.3.0");
        assertThat(Path.of(train.string("dir"))).isEqualTo(trained.toAbsolutePath().normalize());
        assertThat(trained.resolve("grove.json")).exists();
        assertThat(train.array("labels").size()).isEqualTo(3);
        assertThat(train.integer("parameters")).isPositive();

        Path quantized = dir.resolve("int8");
        JsonObject q = json("breed", "quantize", trained.toString(), "--namespace", "jmine", "--heldout",
                base.resolve("data/heldout.tsv").toString(), "--out", quantized.toString(), "--json");
        assertThat(q.string("ref")).startsWith("jmine/").endsWith("@0.3.0");
        assertThat(Path.of(q.string("dir"))).isEqualTo(quantized.toAbsolutePath().normalize());
        assertThat(q.integer("bytes")).isLessThan(train.integer("bytes"));
    }

    @Test
    void versionBump_siteAndCacheClear() {
        Path pkg = init("jmisc/langid", "misc");
        JsonObject bumped = json("version", "bump", "minor", pkg.toString(), "--json");
        assertThat(bumped.string("from")).isEqualTo("0.1.0");
        assertThat(bumped.string("to")).isEqualTo("0.2.0");
        assertThat(json("version", "show", pkg.toString(), "--json").string("version")).isEqualTo("0.2.0");

        JsonObject site = json("site", "--out", dir.resolve("site").toString(), "--node", registry, "--json");
        assertThat(site.string("node")).isEqualTo(registry);
        assertThat(site.integer("files")).isPositive();

        JsonObject cleared = json("cache", "clear", "--json");
        assertThat(cleared.integer("cleared")).isNotNegative();
        assertThat(json("cache", "list", "--json").array("packages").isEmpty()).isTrue();
    }
}
