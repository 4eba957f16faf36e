package dev.grove.node.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.grove.checkpoint.Checkpoint;
import dev.grove.checkpoint.CheckpointVerifier;
import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.logentry.LogEntries;
import dev.grove.node.Node;
import dev.grove.node.testing.NodeFixture;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.TestNode;
import dev.grove.node.testing.TestPackage;
import dev.grove.note.NoteVerifier;
import dev.grove.tlog.HashSources;
import dev.grove.tlog.InclusionProof;
import dev.grove.tlog.MerkleHash;
import dev.grove.tlog.TilePath;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mirror keeps and serves its origin's log: B follows A (real nodes, loopback). B's version documents of A's packages
 * prove their entries in A's log with A's checkpoint, B serves A's checkpoint, hash tiles and entry bundles byte for
 * byte (bundles only of entries whose bytes it kept), {@code grove
 * pull} from B checks the proof against A's key (and refuses a mirror that tampers with it), and all of it outlives A.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MirrorLogTest {

    static final Duration DEADLINE = Duration.ofSeconds(30);
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dataA;
    @TempDir
    static Path dataB;
    @TempDir
    static Path work;

    static NodeFixture nodes;
    static Node a;
    static Node b;
    static String originA;
    static NoteVerifier keyA;
    static final Ed25519PrivateKey alice = Ed25519PrivateKey.generate();
    static final List<TestPackage> published = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        nodes = new NodeFixture().withConfigDir(work.resolve("config"));
        a = nodes.start(dataA);
        b = nodes.start(Mirrors.following(dataB, Mirrors.url(a)));
        originA = Mirrors.origin(a);
        keyA = NoteVerifier.parse(Mirrors.logKey(a));
        for (int i = 0; i < 3; i++) {
            TestPackage pkg = TestPackage.builder("gamma/model-" + i, "1.0.0")
                    .weights(("weights " + i).getBytes(StandardCharsets.UTF_8)).build(alice);
            assertThat(new NodeHttp(a.port()).publish(pkg).status()).isEqualTo(201);
            published.add(pkg);
        }
        // 4 entries (the namespace binding, 3 packages): wait until B serves a checkpoint of all of them
        Mirrors.await("B to serve A's log at size 4", DEADLINE, () -> servedSize() >= 4);
    }

    @AfterAll
    static void stop() {
        if (nodes != null) {
            nodes.close();
        }
    }

    static String mirrored() {
        return "/v1/origins/" + URLEncoder.encode(originA, StandardCharsets.UTF_8);
    }

    static long servedSize() {
        HttpResponse<byte[]> cp = get(b.port(), mirrored() + "/log/checkpoint");
        if (cp.statusCode() != 200) {
            return -1;
        }
        return Long.parseLong(new String(cp.body(), StandardCharsets.UTF_8).split("\n")[1]);
    }

    static HttpResponse<byte[]> get(int port, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Every hash tile of a tree of {@code size} leaves, as c2sp.org/tlog-tiles names them. */
    static List<TilePath> tiles(long size) {
        List<TilePath> out = new ArrayList<>();
        for (int level = 0; (size >>> (TilePath.HEIGHT * level)) > 0; level++) {
            long n = size >>> (TilePath.HEIGHT * level);
            for (long i = 0; i <= (n - 1) >>> TilePath.HEIGHT; i++) {
                out.add(TilePath.forTree(level, i, size));
            }
        }
        return out;
    }

    /** Checks the version document's {@code log} proof with A's key and the federation module's verifiers. */
    static Checkpoint verifyProof(JsonObject doc, TestPackage pkg) throws Exception {
        return verifyProof(doc, pkg, keyA);
    }

    /** The same with the log's {@code key} (the origin being its name). */
    static Checkpoint verifyProof(JsonObject doc, TestPackage pkg, NoteVerifier key) throws Exception {
        JsonObject log = doc.getJsonObject("log");
        Checkpoint cp = CheckpointVerifier.forLog(key).verify(log.getString("checkpoint"));
        assertThat(cp.origin()).isEqualTo(key.name());
        assertThat(cp.size()).isEqualTo(log.getLong("treeSize"));
        List<byte[]> hashes = new ArrayList<>();
        for (Object h : log.getJsonArray("inclusion")) {
            hashes.add(Base64.getDecoder().decode((String) h));
        }
        InclusionProof.verify(MerkleHash.leafHash(LogEntries.pkg(pkg.bundle())), log.getLong("index"), cp.size(),
                cp.rootHash(), hashes);
        return cp;
    }

    @Test
    @Order(1)
    void mirroredVersionDocument_provesItsEntryInTheOriginsLog() throws Exception {
        for (TestPackage pkg : published) {
            String ref = pkg.name() + "@1.0.0";
            JsonObject onB = new NodeHttp(b.port()).get(Mirrors.versionPath(originA, ref)).json();
            JsonObject onA = new NodeHttp(a.port()).get("/v1/packages/" + pkg.name() + "/versions/1.0.0").json();
            // the index is the entry's in A's log, not in B's
            assertThat(onB.getJsonObject("log").getLong("index")).isEqualTo(onA.getJsonObject("log").getLong("index"));
            assertThat(verifyProof(onB, pkg).size()).isGreaterThanOrEqualTo(4L);
        }
        // the proof is of that package: another package's entry does not verify at this index
        JsonObject doc = new NodeHttp(b.port()).get(Mirrors.versionPath(originA, published.get(0).name() + "@1.0.0")).json();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> verifyProof(doc, published.get(1)))
                .isInstanceOf(dev.grove.tlog.ProofException.class);
    }

    @Test
    @Order(2)
    void mirroredCheckpointAndTiles_areTheOrigins() throws Exception {
        String note = new String(get(b.port(), mirrored() + "/log/checkpoint").body(), StandardCharsets.UTF_8);
        Checkpoint cp = CheckpointVerifier.forLog(keyA).verify(note);
        List<TilePath> paths = tiles(cp.size());
        java.util.Map<TilePath, byte[]> fromB = new java.util.HashMap<>();
        for (TilePath p : paths) {
            HttpResponse<byte[]> mirroredTile = get(b.port(), mirrored() + "/log/" + p);
            HttpResponse<byte[]> own = get(a.port(), "/log/" + p);
            assertThat(mirroredTile.statusCode()).as(p.toString()).isEqualTo(200);
            assertThat(own.statusCode()).as(p.toString()).isEqualTo(200);
            assertThat(mirroredTile.body()).as(p.toString()).isEqualTo(own.body());
            fromB.put(p, mirroredTile.body());
        }
        // the served tiles make the served checkpoint's root
        assertThat(HashSources.fromTiles(fromB::get, cp.size()).rootHash(cp.size())).isEqualTo(cp.rootHash());
        // entry bundles, byte for byte the origin's, with the same caching: the bundle of the served tree and each
        // narrower prefix of it
        for (int width = 1; width <= cp.size(); width++) {
            TilePath p = TilePath.entryBundle(0, width);
            HttpResponse<byte[]> mirroredBundle = get(b.port(), mirrored() + "/log/" + p);
            HttpResponse<byte[]> own = get(a.port(), "/log/" + p);
            assertThat(mirroredBundle.statusCode()).as(p.toString()).isEqualTo(200);
            assertThat(mirroredBundle.body()).as(p.toString()).isEqualTo(own.body());
            assertThat(mirroredBundle.headers().firstValue("Cache-Control"))
                    .isEqualTo(own.headers().firstValue("Cache-Control"));
            assertThat(mirroredBundle.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        }
        byte[] bundle = get(b.port(), mirrored() + "/log/" + TilePath.entryBundle(0, (int) cp.size())).body();
        List<byte[]> leaves = dev.grove.tlog.EntryBundle.parse(bundle, (int) cp.size()).leafHashes();
        for (int i = 0; i < leaves.size(); i++) {
            assertThat(java.util.Arrays.copyOfRange(fromB.get(TilePath.tile(0, 0, (int) cp.size())), 32 * i, 32 * i + 32))
                    .isEqualTo(leaves.get(i));
        }
        // beyond the served tree: 404
        assertThat(get(b.port(), mirrored() + "/log/tile/0/" + TilePath.formatIndex(cp.size() / 256 + 1)).statusCode())
                .isEqualTo(404);
        assertThat(get(b.port(), mirrored() + "/log/tile/entries/000.p/" + (cp.size() + 1)).statusCode())
                .isEqualTo(404);
        assertThat(get(b.port(), "/v1/origins/nowhere.example%2Fgrove-log/log/checkpoint").statusCode()).isEqualTo(404);
    }

    @Test
    @Order(2)
    void pathsUnderOriginsThatNameNothing_areNotFoundProblems() {
        for (String path : List.of("/v1/origins/", mirrored(), mirrored() + "/", mirrored() + "/packages/gamma",
                mirrored() + "/packages/gamma/model-0/versions", mirrored() + "/log", mirrored() + "/namespaces",
                mirrored() + "/nothing/here", mirrored() + "/namespaces/gamma/keys", mirrored() + "/packages/gamma/model-0/",
                mirrored() + "/log/checkpoint/", mirrored() + "/namespaces/gamma/")) {
            HttpResponse<byte[]> answer = get(b.port(), path);
            assertThat(answer.statusCode()).as(path).isEqualTo(404);
            assertThat(answer.headers().firstValue("Content-Type")).as(path).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(new JsonObject(new String(answer.body(), StandardCharsets.UTF_8)).getString("detail")).as(path)
                    .startsWith("no such resource under /v1/origins/");
        }
        for (String path : List.of(mirrored() + "/log/tile", mirrored() + "/log/tile/", mirrored() + "/log/tile/x")) {
            HttpResponse<byte[]> answer = get(b.port(), path);
            assertThat(answer.statusCode()).as(path).isEqualTo(404);
            assertThat(new JsonObject(new String(answer.body(), StandardCharsets.UTF_8)).getString("detail")).as(path)
                    .startsWith("tile path");
        }
    }

    @Test
    @Order(3)
    void pullFromTheMirror_checksTheOriginsLog_andRefusesATamperedProof() throws Exception {
        TestPackage pkg = published.get(0);
        String ref = originA + "/" + pkg.name() + "@1.0.0";
        FederationTest.Cli pull = FederationTest.grove("pull", ref, "--registry", Mirrors.url(b), "--out",
                work.resolve("honest").toString());
        assertThat(pull.exit()).as(pull.toString()).isZero();
        assertThat(pull.err()).doesNotContain("warning");
        assertThat(pull.out()).contains("log         entry ").contains(" of log " + originA + ", in its signed checkpoint");

        try (TamperingMirror liar = new TamperingMirror(Mirrors.url(b))) {
            FederationTest.Cli refused = FederationTest.grove("pull", ref, "--registry", liar.url(), "--out",
                    work.resolve("tampered").toString());
            assertThat(refused.exit()).as(refused.toString()).isNotZero();
            assertThat(refused.err()).contains("is not entry").contains("of log " + originA);
            assertThat(work.resolve("tampered")).doesNotExist();
        }
    }

    @Test
    @Order(4)
    void originStopped_theMirrorStillServesItsLog() throws Exception {
        long size = servedSize();
        String note = new String(get(b.port(), mirrored() + "/log/checkpoint").body(), StandardCharsets.UTF_8);
        TestNode.await(a.stop());
        a = null;

        assertThat(new String(get(b.port(), mirrored() + "/log/checkpoint").body(), StandardCharsets.UTF_8))
                .isEqualTo(note);
        for (TilePath p : tiles(size)) {
            assertThat(get(b.port(), mirrored() + "/log/" + p).statusCode()).as(p.toString()).isEqualTo(200);
        }
        TestPackage pkg = published.get(2);
        verifyProof(new NodeHttp(b.port()).get(Mirrors.versionPath(originA, pkg.name() + "@1.0.0")).json(), pkg);

        FederationTest.Cli pull = FederationTest.grove("pull", originA + "/" + pkg.name() + "@1.0.0", "--registry",
                Mirrors.url(b), "--out", work.resolve("after-origin").toString(), "--log-key", keyA.toString());
        assertThat(pull.exit()).as(pull.toString()).isZero();
        assertThat(pull.err()).doesNotContain("warning");
        assertThat(pull.out()).contains(" of log " + originA + ", in its signed checkpoint of size " + size);
    }

    @Test
    @Order(5)
    void entriesAcceptedBeforeTheirBytesWereKept_haveNoBundle_andSaySo() throws Exception {
        long size = servedSize();
        // as on a mirror that accepted these entries before it kept entry bytes (migration V011)
        TestNode.await(b.pool().query("ALTER TABLE mirror_entries DISABLE TRIGGER mirror_entries_append_only").execute());
        TestNode.await(b.pool().query("DELETE FROM mirror_entries").execute());
        TestNode.await(b.pool().query("ALTER TABLE mirror_entries ENABLE TRIGGER mirror_entries_append_only").execute());

        HttpResponse<byte[]> bundle = get(b.port(), mirrored() + "/log/" + TilePath.entryBundle(0, (int) size));
        assertThat(bundle.statusCode()).isEqualTo(404);
        assertThat(bundle.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(new String(bundle.body(), StandardCharsets.UTF_8)).contains("before it kept entry bytes");
        // the checkpoint and hash tiles are still served
        assertThat(get(b.port(), mirrored() + "/log/checkpoint").statusCode()).isEqualTo(200);
        assertThat(get(b.port(), mirrored() + "/log/" + TilePath.tile(0, 0, (int) size)).statusCode()).isEqualTo(200);
    }

    /** A mirror that passes everything through from an honest one but flips a bit of each version's inclusion proof. */
    static final class TamperingMirror implements AutoCloseable {
        private final HttpServer server;

        TamperingMirror(String upstream) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", x -> {
                try {
                    HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(upstream
                            + x.getRequestURI().getRawPath())).build(), HttpResponse.BodyHandlers.ofByteArray());
                    byte[] body = r.body();
                    if (x.getRequestURI().getRawPath().contains("/versions/") && r.statusCode() == 200) {
                        JsonObject doc = new JsonObject(new String(body, StandardCharsets.UTF_8));
                        JsonArray inclusion = doc.getJsonObject("log").getJsonArray("inclusion");
                        byte[] first = Base64.getDecoder().decode(inclusion.getString(0));
                        first[0] ^= 1;
                        inclusion.set(0, Base64.getEncoder().encodeToString(first));
                        body = doc.encode().getBytes(StandardCharsets.UTF_8);
                    }
                    x.getResponseHeaders().set("Content-Type", r.headers().firstValue("Content-Type")
                            .orElse("application/octet-stream"));
                    x.sendResponseHeaders(r.statusCode(), body.length == 0 ? -1 : body.length);
                    if (body.length > 0) {
                        x.getResponseBody().write(body);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    x.sendResponseHeaders(502, -1);
                } finally {
                    x.close();
                }
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
