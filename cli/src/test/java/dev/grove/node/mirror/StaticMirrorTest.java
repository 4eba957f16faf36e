package dev.grove.node.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.crypto.Sha256;
import dev.grove.node.Node;
import dev.grove.node.testing.Nginx;
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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Static-host mirrors: {@code grove export} writes an origin's log and blobs as plain files, nginx serves the folder
 * ({@code nginx-light}, started here, unprivileged), and a node follows it like any mirror. A's log is exported from
 * B's copy of it (real nodes on loopback, each with its own database), a log of 301 entries (two bundles) from a log
 * served by the format layer; C follows both folders and ends with their packages under their origins, proven in
 * their logs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StaticMirrorTest {

    static final Duration DEADLINE = Duration.ofSeconds(90);
    static final int MANY = 300;

    @TempDir
    static Path dataA;
    @TempDir
    static Path dataB;
    @TempDir
    static Path dataC;
    @TempDir
    static Path root;

    static NodeFixture nodes;
    static Node a;
    static Node b;
    static Node c;
    static LyingNode many;
    static Nginx nginx;
    static String originA;
    static NoteVerifier keyA;
    static FederationTest.Cli exportA;
    static final Ed25519PrivateKey alice = Ed25519PrivateKey.generate();
    static final List<TestPackage> published = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        nodes = new NodeFixture();
        a = nodes.start(dataA);
        originA = Mirrors.origin(a);
        keyA = NoteVerifier.parse(Mirrors.logKey(a));
        for (int i = 0; i < 3; i++) {
            publish("zeta/model-" + i);
        }
        b = nodes.start(Mirrors.following(dataB, Mirrors.url(a)));
        awaitMirrored(b, 4);

        many = new LyingNode("many");
        for (int i = 0; i < MANY; i++) {
            many.publish(TransportFaultsTest.pkg("many/model-" + i, "1.0.0"), TransportFaultsTest.publisher);
        }

        exportA = export(Mirrors.url(b), originA, keyA.toString(), root.resolve("a"));
        FederationTest.Cli exportMany = export(many.url(), null, many.key.verifier().toString(), root.resolve("many"));
        assertThat(exportMany.exit()).as(exportMany.toString()).isZero();
        nginx = Nginx.serve(root);
        c = nodes.start(Mirrors.following(dataC, nginx.url() + "/a#" + keyA,
                nginx.url() + "/many#" + many.key.verifier()));
    }

    @AfterAll
    static void stop() {
        if (nodes != null) {
            nodes.close();
        }
        if (nginx != null) {
            nginx.close();
        }
        if (many != null) {
            many.close();
        }
    }

    static void publish(String name) {
        TestPackage pkg = TestPackage.builder(name, "1.0.0")
                .weights((name + " weights").getBytes(StandardCharsets.UTF_8)).build(alice);
        assertThat(new NodeHttp(a.port()).publish(pkg).status()).isEqualTo(201);
        published.add(pkg);
    }

    static FederationTest.Cli export(String registry, String origin, String key, Path out) {
        List<String> args = new ArrayList<>(List.of("export", "--registry", registry, "--out", out.toString(),
                "--log-key", key));
        if (origin != null) {
            args.add("--origin");
            args.add(origin);
        }
        return FederationTest.grove(args.toArray(String[]::new));
    }

    static String enc(String origin) {
        return "/v1/origins/" + URLEncoder.encode(origin, StandardCharsets.UTF_8);
    }

    static long served(Node node, String origin) {
        HttpResponse<byte[]> cp = MirrorLogTest.get(node.port(), enc(origin) + "/log/checkpoint");
        return cp.statusCode() != 200 ? -1
                : Long.parseLong(new String(cp.body(), StandardCharsets.UTF_8).split("\n")[1]);
    }

    static void awaitMirrored(Node node, long size) {
        Mirrors.await("node " + node.port() + " to serve A's log at size " + size, DEADLINE,
                () -> served(node, originA) >= size);
    }

    @Test
    @Order(1)
    void theFolderHoldsTheOriginsLogAndBlobs_asANodeServesThem() throws Exception {
        assertThat(exportA.exit()).as(exportA.toString()).isZero();
        assertThat(exportA.err()).contains("exporting log " + originA).contains("hash tiles").contains("entry bundles")
                .contains("blobs");
        assertThat(exportA.out()).contains("exported log " + originA + " at size 4");
        Path dir = root.resolve("a");
        assertThat(Files.readAllBytes(dir.resolve("log/checkpoint")))
                .isEqualTo(MirrorLogTest.get(b.port(), enc(originA) + "/log/checkpoint").body());
        List<TilePath> paths = new ArrayList<>(MirrorLogTest.tiles(4));
        paths.add(TilePath.entryBundle(0, 4));
        for (TilePath p : paths) {
            assertThat(Files.readAllBytes(dir.resolve("log/" + p))).as(p.toString())
                    .isEqualTo(MirrorLogTest.get(a.port(), "/log/" + p).body());
            // and nginx serves them as they are, readable from any origin
            HttpResponse<byte[]> fromNginx = MirrorLogTest.get(nginx.port(), "/a/log/" + p);
            assertThat(fromNginx.body()).isEqualTo(Files.readAllBytes(dir.resolve("log/" + p)));
            assertThat(fromNginx.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        }
        for (TestPackage pkg : published) {
            assertThat(Files.readAllBytes(dir.resolve("v1/blobs/" + Sha256.of(pkg.weights())))).isEqualTo(pkg.weights());
        }
    }

    @Test
    @Order(2)
    void aNodeFollowsTheFolder_andHoldsTheOriginsPackagesAsTheOrigins() throws Exception {
        awaitMirrored(c, 4);
        NodeHttp onC = new NodeHttp(c.port());
        for (TestPackage pkg : published) {
            JsonObject doc = onC.get(Mirrors.versionPath(originA, pkg.name() + "@1.0.0")).json();
            assertThat(doc.getString("origin")).isEqualTo(originA);
            MirrorLogTest.verifyProof(doc, pkg, keyA);
            assertThat(MirrorLogTest.get(c.port(), "/v1/blobs/" + Sha256.of(pkg.weights())).body())
                    .isEqualTo(pkg.weights());
        }
        JsonObject source = Mirrors.peer(c, nginx.url() + "/a");
        assertThat(source.getString("origin")).isEqualTo(originA);
        assertThat(source.getString("state")).isEqualTo("caught-up");

        Mirrors.await("C to copy the log of " + (MANY + 1) + " entries from its folder", DEADLINE,
                () -> served(c, many.origin()) == MANY + 1);
        assertThat(Mirrors.count(c, "SELECT count(*) FROM package_versions WHERE origin = '" + many.origin() + "'"))
                .isEqualTo(MANY);
        TransportFaultsTest.assertProven(new NodeHttp(c.port()), many.origin(), "many/model-299@1.0.0");
    }

    @Test
    @Order(3)
    void exportedAgain_theFolderGrows_andTheFollowerWithIt() {
        publish("zeta/model-late");
        awaitMirrored(b, 5);
        FederationTest.Cli again = export(Mirrors.url(b), originA, keyA.toString(), root.resolve("a"));
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.out()).contains("at size 5").contains("(1 fetched)");
        awaitMirrored(c, 5);
        TransportFaultsTest.assertProven(new NodeHttp(c.port()), originA, "zeta/model-late@1.0.0");
    }

    @Test
    @Order(4)
    void anExportOfBytesTheSignedTreeDoesNotHold_writesNothing() {
        many.tiles.put("tile/entries/000", new byte[] {0, 1, 42});
        try {
            Path out = root.resolve("tampered");
            FederationTest.Cli refused = export(many.url(), null, many.key.verifier().toString(), out);
            assertThat(refused.exit()).as(refused.toString()).isEqualTo(1);
            assertThat(refused.err()).contains("tile/entries/000");
            assertThat(out.resolve("log/checkpoint")).doesNotExist();
        } finally {
            many.honestAgain();
        }
    }
}
