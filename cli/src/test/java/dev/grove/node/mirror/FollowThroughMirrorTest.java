package dev.grove.node.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.checkpoint.Checkpoint;
import dev.grove.checkpoint.CheckpointVerifier;
import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.node.Node;
import dev.grove.node.testing.NodeFixture;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.TestPackage;
import dev.grove.note.NoteVerifier;
import dev.grove.tlog.TilePath;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node follows an origin through a mirror: A publishes, B mirrors A, C follows {@code B/v1/origins/A#KEY_A} (real
 * nodes on loopback, each with its own database). C ends with what following A itself gives: A's packages stored as
 * A's, proven in A's log against A's key, their blobs copied, A's log served byte for byte.
 */
class FollowThroughMirrorTest {

    static final Duration DEADLINE = Duration.ofSeconds(60);

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
    static NoteVerifier keyA;
    static String source;
    static final Ed25519PrivateKey alice = Ed25519PrivateKey.generate();
    static final List<TestPackage> published = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        nodes = new NodeFixture().withConfigDir(work.resolve("config"));
        a = nodes.start(dataA);
        originA = Mirrors.origin(a);
        keyA = NoteVerifier.parse(Mirrors.logKey(a));
        for (int i = 0; i < 3; i++) {
            publish("delta/model-" + i);
        }
        b = nodes.start(Mirrors.following(dataB, Mirrors.url(a)));
        source = Mirrors.originUrl(b, originA);
        c = nodes.start(Mirrors.following(dataC, source + "#" + keyA));
        awaitServed(c, 4);
    }

    @AfterAll
    static void stop() {
        if (nodes != null) {
            nodes.close();
        }
    }

    static void publish(String name) {
        TestPackage pkg = TestPackage.builder(name, "1.0.0")
                .weights((name + " weights").getBytes(StandardCharsets.UTF_8)).build(alice);
        assertThat(new NodeHttp(a.port()).publish(pkg).status()).isEqualTo(201);
        published.add(pkg);
    }

    static String mirrored() {
        return "/v1/origins/" + URLEncoder.encode(originA, StandardCharsets.UTF_8);
    }

    static long servedSize(Node node) {
        HttpResponse<byte[]> cp = MirrorLogTest.get(node.port(), mirrored() + "/log/checkpoint");
        return cp.statusCode() != 200 ? -1
                : Long.parseLong(new String(cp.body(), StandardCharsets.UTF_8).split("\n")[1]);
    }

    static void awaitServed(Node node, long size) {
        Mirrors.await("node " + node.port() + " to serve A's log at size " + size, DEADLINE,
                () -> servedSize(node) >= size);
    }

    @Test
    void theFollowerHoldsAsPackagesAsAs_provenInAsLog_withTheirBlobs() throws Exception {
        NodeHttp onC = new NodeHttp(c.port());
        for (TestPackage pkg : published) {
            NodeHttp.Reply reply = onC.get(Mirrors.versionPath(originA, pkg.name() + "@1.0.0"));
            assertThat(reply.status()).as(pkg.name()).isEqualTo(200);
            JsonObject doc = reply.json();
            assertThat(doc.getString("origin")).isEqualTo(originA);
            assertThat(doc.getString("digest")).isEqualTo(pkg.digest().toString());
            JsonObject onA = new NodeHttp(a.port()).get("/v1/packages/" + pkg.name() + "/versions/1.0.0").json();
            assertThat(doc.getJsonObject("log").getLong("index")).isEqualTo(onA.getJsonObject("log").getLong("index"));
            // proven with A's key, the proof as MirrorLogTest checks it
            MirrorLogTest.verifyProof(doc, pkg, keyA);
            HttpResponse<byte[]> blob = MirrorLogTest.get(c.port(), "/v1/blobs/" + dev.grove.crypto.Sha256.of(pkg.weights()));
            assertThat(blob.statusCode()).isEqualTo(200);
            assertThat(blob.body()).isEqualTo(pkg.weights());
        }
        // stored under A's origin, none as C's own
        assertThat(Mirrors.count(c, "SELECT count(*) FROM package_versions WHERE origin = '" + originA + "'"))
                .isEqualTo(published.size());
        assertThat(Mirrors.count(c, "SELECT count(*) FROM package_versions WHERE origin = ''")).isZero();

        JsonObject peer = Mirrors.peer(c, source);
        assertThat(peer.getString("origin")).isEqualTo(originA);
        assertThat(peer.getString("logKey")).isEqualTo(keyA.toString());
        assertThat(peer.getString("status")).isEqualTo("trusted");
        assertThat(peer.getJsonObject("fault")).isNull();
    }

    @Test
    void theFollowerServesAsLog_byteForByte() throws Exception {
        long size = servedSize(c);
        awaitServed(b, size);
        String note = new String(MirrorLogTest.get(c.port(), mirrored() + "/log/checkpoint").body(),
                StandardCharsets.UTF_8);
        Checkpoint cp = CheckpointVerifier.forLog(keyA).verify(note);
        List<TilePath> paths = new ArrayList<>(MirrorLogTest.tiles(cp.size()));
        for (long n = 0; n * TilePath.WIDTH < cp.size(); n++) {
            paths.add(TilePath.entryBundleFor(n * TilePath.WIDTH, cp.size()));
        }
        for (TilePath p : paths) {
            HttpResponse<byte[]> fromC = MirrorLogTest.get(c.port(), mirrored() + "/log/" + p);
            HttpResponse<byte[]> fromA = MirrorLogTest.get(a.port(), "/log/" + p);
            assertThat(fromC.statusCode()).as(p.toString()).isEqualTo(200);
            assertThat(fromC.body()).as(p.toString()).isEqualTo(fromA.body());
        }
    }

    @Test
    void pullFromTheFollower_verifiesWithTheOriginsKey_andNewEntriesFlowThrough() throws Exception {
        publish("delta/model-late");
        awaitServed(c, 5);
        TestPackage pkg = published.get(published.size() - 1);
        Path out = work.resolve("pulled");
        FederationTest.Cli pull = FederationTest.grove("pull", originA + "/" + pkg.name() + "@1.0.0", "--registry",
                Mirrors.url(c), "--out", out.toString(), "--log-key", keyA.toString());
        assertThat(pull.exit()).as(pull.toString()).isZero();
        assertThat(pull.out()).contains(" of log " + originA + ", in its signed checkpoint");
        assertThat(Files.readAllBytes(out.resolve("weights/model.safetensors"))).isEqualTo(pkg.weights());
    }

    @Test
    void aMirrorsCopyIsFollowedWithTheOriginsKeyOnly() throws Exception {
        assertThatThrownBy(() -> PeerSpec.parse(source))
                .hasMessageContaining("follow it with that origin's log key");
        NoteVerifier keyB = NoteVerifier.parse(new NodeHttp(b.port()).get("/.well-known/grove/node").json()
                .getString("logKey"));
        assertThatThrownBy(() -> PeerSpec.parse(source + "#" + keyB))
                .hasMessageContaining("is the log " + originA + ", but the key given is named " + keyB.name());
        SourceLayout layout = PeerSpec.parse(source + "#" + keyA).layouts().get(0);
        assertThat(layout.log()).isEqualTo(source + "/log");
        assertThat(layout.blobs()).isEqualTo(Mirrors.url(b) + "/v1/blobs/");
        assertThat(layout.consistency()).isEmpty();
        assertThat(layout.origin()).contains(originA);
    }
}
