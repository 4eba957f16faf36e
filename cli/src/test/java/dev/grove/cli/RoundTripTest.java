package dev.grove.cli;

import dev.grove.cli.command.CommandFailure;
import dev.grove.crypto.SigningKeyFile;
import dev.grove.json.Json;
import dev.grove.json.JsonObject;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code grove} client commands against a real node (embedded PostgreSQL, HTTP on loopback, real signatures). */
class RoundTripTest {
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

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
            TestNode.await(node.stop());
        }
        if (vertx != null) {
            TestNode.await(vertx.close());
        }
    }

    private Path keygen(String name) {
        Path key = dir.resolve(name + ".key");
        GroveCli.Result result = GroveCli.run("keygen", "--out", key.toString());
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return key;
    }

    private Path init(String name, String folder) {
        Path pkg = dir.resolve(folder);
        GroveCli.Result result = GroveCli.run("init", name, "--dir", pkg.toString());
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return pkg;
    }

    private GroveCli.Result publish(Path pkg, Path key) {
        return GroveCli.run("publish", pkg.toString(), "--key", key.toString(), "--registry", registry);
    }

    private static String digestIn(String text) {
        Matcher m = DIGEST.matcher(text);
        assertThat(m.find()).as("a digest in: " + text).isTrue();
        return m.group();
    }

    private static String keyId(Path key) throws Exception {
        return SigningKeyFile.read(Files.readString(key)).keyId().hex();
    }

    @Test
    void keygen_init_publish_pull_verify() throws Exception {
        Path key = keygen("alice");
        Path pkg = init("trip/langid", "langid");

        GroveCli.Result published = publish(pkg, key);

        assertThat(published.exitCode()).as(published.toString()).isZero();
        assertThat(published.out()).startsWith("published trip/langid@0.1.0 sha256:");
        assertThat(published.err()).contains("upload weights/model.safetensors");
        String digest = digestIn(published.out());
        assertThat(pkg.resolve("grove.bundle.json")).exists();

        Path pulled = dir.resolve("pulled");
        GroveCli.Result pull = GroveCli.run("pull", "trip/langid@0.1.0", "--registry", registry, "--out",
                pulled.toString(), "--trusted-key", keyId(key));

        assertThat(pull.exitCode()).as(pull.toString()).isZero();
        assertThat(pull.out()).contains("pulled trip/langid@0.1.0 " + digest)
                .contains(keyId(key) + " in the current keyset of namespace 'trip' (sequence 1)");
        for (String file : new String[] {"grove.json", "lineage.json", "evaluation.json", "weights/model.safetensors"}) {
            assertThat(pulled.resolve(file)).hasSameBinaryContentAs(pkg.resolve(file));
        }

        GroveCli.Result verify = GroveCli.run("verify", pulled.toString(), "--trusted-key", keyId(key));
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        assertThat(verify.out()).contains("verified trip/langid@0.1.0 " + digest);

        GroveCli.Result latest = GroveCli.run("pull", "trip/langid", "--registry", registry, "--out",
                dir.resolve("latest").toString());
        assertThat(latest.exitCode()).as(latest.toString()).isZero();
    }

    @Test
    void publishingAgain_isIdempotent() {
        Path key = keygen("bob");
        Path pkg = init("again/langid", "langid");
        GroveCli.Result first = publish(pkg, key);
        assertThat(first.exitCode()).as(first.toString()).isZero();

        GroveCli.Result second = publish(pkg, key);

        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.out()).startsWith("already published (identical) again/langid@0.1.0 " + digestIn(first.out()));
        assertThat(second.err()).contains("already on the node");
    }

    @Test
    void aSecondKey_cannotPublishIntoTheNamespace() {
        Path owner = keygen("owner");
        Path intruder = keygen("intruder");
        assertThat(publish(init("owned/first", "first"), owner).exitCode()).isZero();

        GroveCli.Result result = publish(init("owned/second", "second"), intruder);

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(CommandFailure.REFUSED);
        assertThat(result.err()).contains("error: Forbidden: ").contains("not in the keyset of namespace 'owned'")
                .doesNotContain("Exception");
    }

    @Test
    void info_showsVersionsLineageAndStatus_andYankIsShown() throws Exception {
        Path key = keygen("carol");
        Path parent = init("tree/langid", "parent");
        String parentDigest = digestIn(publish(parent, key).out());

        Path child = init("tree/langid-small", "child");
        Files.writeString(child.resolve("lineage.json"), """
                {
                  "schema": "grove.lineage/v1",
                  "subject": {"name": "tree/langid-small", "version": "0.1.0"},
                  "operator": "fine-tune",
                  "parameters": {"epochs": 1},
                  "parents": [{"digest": "%s", "ref": "tree/langid@0.1.0"}],
                  "data": []
                }
                """.formatted(parentDigest), StandardCharsets.UTF_8);
        GroveCli.Result childPublish = publish(child, key);
        assertThat(childPublish.exitCode()).as(childPublish.toString()).isZero();
        assertThat(childPublish.err()).contains("updated");

        GroveCli.Result info = GroveCli.run("info", "tree/langid-small", "--registry", registry);

        assertThat(info.exitCode()).as(info.toString()).isZero();
        assertThat(info.out()).contains("tree/langid-small@0.1.0")
                .contains("license    Apache-2.0")
                .contains("weights/model.safetensors")
                .contains(keyId(key))
                .contains("<- fine-tune of tree/langid@0.1.0");

        GroveCli.Result parentInfo = GroveCli.run("info", "tree/langid@0.1.0", "--registry", registry);
        assertThat(parentInfo.out()).contains("-> fine-tune into tree/langid-small@0.1.0");

        GroveCli.Result yank = GroveCli.run("yank", "tree/langid@0.1.0", "--key", dir.resolve("carol.key").toString(),
                "--registry", registry, "--reason", "superseded");
        assertThat(yank.exitCode()).as(yank.toString()).isZero();
        assertThat(yank.out()).contains("yanked tree/langid@0.1.0");

        GroveCli.Result yankedInfo = GroveCli.run("info", "tree/langid@0.1.0", "--registry", registry);
        assertThat(yankedInfo.out()).contains("yanked: superseded");

        GroveCli.Result json = GroveCli.run("info", "tree/langid@0.1.0", "--registry", registry, "--json");
        assertThat(json.exitCode()).isZero();
        JsonObject doc = Json.parseObject(json.out());
        assertThat(doc.object("version").string("digest")).isEqualTo(parentDigest);
    }

    @Test
    void search_listsPublishedPackagesAsATable() {
        Path key = keygen("dave");
        assertThat(publish(init("finder/langid", "langid"), key).exitCode()).isZero();

        GroveCli.Result result = GroveCli.run("search", "finder", "--registry", registry, "--task", "text-classification");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).startsWith("NAME").contains("finder/langid").contains("0.1.0").contains("Apache-2.0");

        GroveCli.Result none = GroveCli.run("search", "finder", "--registry", registry, "--license", "GPL-3.0-only");
        assertThat(none.out()).contains("no packages found");
    }

    @Test
    void yank_byAKeyOutsideTheNamespace_isRefused() {
        Path owner = keygen("erin");
        Path other = keygen("mallory");
        assertThat(publish(init("guarded/langid", "langid"), owner).exitCode()).isZero();

        GroveCli.Result result = GroveCli.run("yank", "guarded/langid@0.1.0", "--key", other.toString(),
                "--registry", registry, "--reason", "vandalism");

        assertThat(result.exitCode()).isEqualTo(CommandFailure.REFUSED);
        assertThat(result.err()).contains("not in the keyset of namespace 'guarded'");
    }

    @Test
    void keysetRotation_movesPublishingToTheNewKey_andOldPackagesStillPull() throws Exception {
        Path old = keygen("old");
        Path fresh = keygen("fresh");
        assertThat(publish(init("rotating/langid", "v1"), old).exitCode()).isZero();

        GroveCli.Result rotate = GroveCli.run("keyset", "rotate", "rotating", "--key", old.toString(),
                "--add", fresh.toString(), "--remove", keyId(old), "--registry", registry);

        assertThat(rotate.exitCode()).as(rotate.toString()).isZero();
        assertThat(rotate.out()).contains("keyset is now sequence 2").contains(keyId(fresh)).doesNotContain(keyId(old));
        assertThat(publish(init("rotating/other", "other-old"), old).exitCode()).isEqualTo(CommandFailure.REFUSED);
        assertThat(publish(init("rotating/other", "other-new"), fresh).exitCode()).isZero();

        GroveCli.Result pull = GroveCli.run("pull", "rotating/langid@0.1.0", "--registry", registry, "--out",
                dir.resolve("pulled").toString());
        assertThat(pull.exitCode()).as(pull.toString()).isZero();
        assertThat(pull.out()).contains(keyId(old) + " in keyset 1 of namespace 'rotating', since replaced");

        GroveCli.Result show = GroveCli.run("keyset", "show", "rotating", "--registry", registry);
        assertThat(show.exitCode()).as(show.toString()).isZero();
        assertThat(show.out()).contains("keyset sequence 2").contains(keyId(fresh));

        GroveCli.Result replay = GroveCli.run("keyset", "rotate", "rotating", "--key", old.toString(),
                "--add", old.toString(), "--registry", registry);
        assertThat(replay.exitCode()).isEqualTo(CommandFailure.REFUSED);
        assertThat(replay.err()).contains("is not in the current keyset of namespace 'rotating'");
    }
}
