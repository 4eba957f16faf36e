package dev.grove.node.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.cli.GroveCommand;
import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.node.Node;
import dev.grove.node.testing.NodeFixture;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.TestPackage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Three real nodes on loopback, each with its own database: B follows A; C follows B and A. A package published on A is
 * pulled and verified from B with its origin named; B's own package citing A's by digest shows the whole lineage on B and
 * on C.
 */
class FederationTest {

    static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    static Path dataA;
    @TempDir
    static Path dataB;
    @TempDir
    static Path dataC;
    @TempDir
    static Path work;

    static NodeFixture nodes;
    static Node a;
    static Node b;
    static Node c;
    static String originA;
    static String originB;
    static final Ed25519PrivateKey alice = Ed25519PrivateKey.generate();
    static final Ed25519PrivateKey bob = Ed25519PrivateKey.generate();

    @BeforeAll
    static void start() {
        nodes = new NodeFixture();
        a = nodes.start(dataA);
        b = nodes.start(Mirrors.following(dataB, Mirrors.url(a)));
        c = nodes.start(Mirrors.following(dataC, Mirrors.url(b), Mirrors.url(a)));
        originA = Mirrors.origin(a);
        originB = Mirrors.origin(b);
    }

    @AfterAll
    static void stop() {
        if (nodes != null) {
            nodes.close();
        }
    }

    static boolean has(Node node, String origin, String ref) {
        return new NodeHttp(node.port()).get(Mirrors.versionPath(origin, ref)).status() == 200;
    }

    record Cli(int exit, String out, String err) {
    }

    static Cli grove(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = GroveCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Cli(exit, out.toString(), err.toString());
    }

    @Test
    void publishedOnA_pulledAndVerifiedFromB_withItsOrigin() throws Exception {
        TestPackage pkg = TestPackage.builder("alpha/langid", "1.0.0").build(alice);
        assertThat(new NodeHttp(a.port()).publish(pkg).status()).isEqualTo(201);

        Mirrors.await("B to mirror alpha/langid@1.0.0", DEADLINE, () -> has(b, originA, "alpha/langid@1.0.0"));
        JsonObject doc = new NodeHttp(b.port()).get(Mirrors.versionPath(originA, "alpha/langid@1.0.0")).json();
        assertThat(doc.getString("origin")).isEqualTo(originA);
        assertThat(doc.getString("digest")).isEqualTo(pkg.digest().toString());
        // the digest route covers every origin
        assertThat(new NodeHttp(b.port()).get("/v1/digests/" + pkg.digest()).json().getString("origin")).isEqualTo(originA);

        Path out = work.resolve("pulled-from-b");
        Cli pull = grove("pull", originA + "/alpha/langid@1.0.0", "--registry", Mirrors.url(b), "--out", out.toString());
        assertThat(pull.exit()).as(pull.toString()).isZero();
        assertThat(pull.out()).contains("pulled alpha/langid@1.0.0 " + pkg.digest())
                .contains("origin      " + originA)
                .contains("artifacts   1 verified")
                .contains("log         entry ").contains(" of log " + originA + ", in its signed checkpoint");
        assertThat(pull.err()).doesNotContain("warning");
        assertThat(Files.readAllBytes(out.resolve("weights/model.safetensors"))).isEqualTo(pkg.weights());

        JsonObject peer = Mirrors.peer(b, Mirrors.url(a));
        assertThat(peer.getString("status")).isEqualTo("trusted");
        assertThat(peer.getString("origin")).isEqualTo(originA);
        assertThat(peer.getLong("treeSize")).isGreaterThanOrEqualTo(2L); // keyset/v1 + package/v1

        String metrics = new NodeHttp(b.port()).get("/metrics").body();
        assertThat(metrics).contains("grove_mirror_entries_total{peer=\"" + Mirrors.url(a) + "\"}")
                .contains("grove_mirror_lag_entries{peer=\"" + Mirrors.url(a) + "\"}");

        Cli peers = grove("peers", "--registry", Mirrors.url(b));
        assertThat(peers.exit()).as(peers.toString()).isZero();
        assertThat(peers.out()).contains("trusted").contains(originA).contains(Mirrors.url(a));
    }

    @Test
    void lineageAcrossNodes_andAThirdNodeFollowingTwo() {
        TestPackage parent = TestPackage.builder("alpha/base", "1.0.0").build(alice);
        NodeHttp.Reply first = new NodeHttp(a.port()).publish(parent);
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        Mirrors.await("B to mirror alpha/base", DEADLINE, () -> has(b, originA, "alpha/base@1.0.0"));

        TestPackage child = TestPackage.builder("beta/small", "1.0.0")
                .weights("fine-tuned weights".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .parent("fine-tune", parent.digest(), "alpha/base@1.0.0").build(bob);
        NodeHttp.Reply published = new NodeHttp(b.port()).publish(child);
        assertThat(published.status()).as(published.body()).isEqualTo(201);

        JsonObject lineage = new NodeHttp(b.port()).get("/v1/lineage/" + child.digest()).json();
        assertThat(nodes(lineage)).containsExactlyInAnyOrder(
                child.digest() + " known " + lineage.getJsonArray("nodes").getJsonObject(0).getString("origin"),
                parent.digest() + " known " + originA);

        Mirrors.await("C to mirror B's child and A's parent", DEADLINE,
                () -> has(c, originB, "beta/small@1.0.0") && has(c, originA, "alpha/base@1.0.0"));
        JsonObject onC = new NodeHttp(c.port()).get("/v1/lineage/" + child.digest()).json();
        assertThat(nodes(onC)).containsExactlyInAnyOrder(child.digest() + " known " + originB,
                parent.digest() + " known " + originA);
        assertThat(Mirrors.peer(c, Mirrors.url(a)).getString("status")).isEqualTo("trusted");
        assertThat(Mirrors.peer(c, Mirrors.url(b)).getString("status")).isEqualTo("trusted");
    }

    static List<String> nodes(JsonObject lineage) {
        List<String> out = new ArrayList<>();
        JsonArray nodes = lineage.getJsonArray("nodes");
        for (int i = 0; i < nodes.size(); i++) {
            JsonObject n = nodes.getJsonObject(i);
            out.add(n.getString("digest") + (n.getBoolean("known") ? " known " : " unknown ") + n.getString("origin"));
        }
        return out;
    }
}
