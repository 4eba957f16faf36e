package dev.grove.node.log;

import dev.grove.checkpoint.Checkpoint;
import dev.grove.checkpoint.CheckpointVerifier;
import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.dsse.Envelope;
import dev.grove.dsse.EnvelopeSigner;
import dev.grove.json.Json;
import dev.grove.json.JsonObject;
import dev.grove.logentry.LogEntries;
import dev.grove.node.Features;
import dev.grove.node.Node;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.NodeHttp.Reply;
import dev.grove.node.testing.TestNode;
import dev.grove.node.testing.TestPackage;
import dev.grove.pkg.Bundle;
import dev.grove.pkg.PayloadTypes;
import dev.grove.tlog.ConsistencyProof;
import dev.grove.tlog.EntryBundle;
import dev.grove.tlog.HashSources;
import dev.grove.tlog.HashTile;
import dev.grove.tlog.InclusionProof;
import dev.grove.tlog.MerkleHash;
import dev.grove.tlog.ProofException;
import dev.grove.tlog.TilePath;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The node's log against a real node (embedded PostgreSQL, loopback HTTP): entries committed with their statements, gapless
 * indices, signed checkpoints, tiles and proofs that verify with the federation module's verifiers, and refusals.
 */
class LogNodeTest {

    @TempDir
    static Path data;

    static Vertx vertx;
    static Node node;
    static NodeHttp http;
    static LogFetch log;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        node = TestNode.start(vertx, data, Features::all);
        http = new NodeHttp(node.port());
        log = new LogFetch(node.port());
    }

    @AfterAll
    static void stop() {
        // Two awaits: a future composed onto vertx.close() completes on an event loop that close() has stopped.
        TestNode.await(node.stop());
        TestNode.await(vertx.close());
    }

    private static long entries() {
        return TestNode.await(node.pool().query("SELECT count(*) FROM log_entries").execute()).iterator().next().getLong(0);
    }

    private static byte[] entry(long index) {
        return TestNode.await(node.pool().preparedQuery("SELECT data FROM log_entries WHERE idx = $1")
                .execute(Tuple.of(index))).iterator().next().getBuffer("data").getBytes();
    }

    private static JsonObject entryJson(long index) {
        return Json.parseObject(entry(index));
    }

    private static Reply publish(TestPackage pkg) {
        Reply reply = http.publish(pkg);
        assertThat(reply.status()).as(reply.body()).isIn(200, 201);
        return reply;
    }

    @Test
    void firstPublishAppendsTheKeysetBindingThenThePackageInItsTransaction() {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        TestPackage pkg = TestPackage.builder("alpha/langid", "1.0.0").build(key);
        Reply reply = publish(pkg);
        long index = reply.json().getJsonObject("log").getLong("index");

        JsonObject pkgEntry = entryJson(index);
        assertThat(pkgEntry.string("kind")).isEqualTo("package/v1");
        assertThat(pkgEntry.string("name")).isEqualTo("alpha/langid");
        assertThat(pkgEntry.string("digest")).isEqualTo(pkg.digest().toString());
        assertThat(entry(index)).isEqualTo(LogEntries.pkg(pkg.bundle()));   // the client can rebuild it byte for byte
        assertThat(new String(entry(index), StandardCharsets.UTF_8))
                .startsWith("{\"kind\":\"package/v1\",\"name\":\"alpha/langid\",\"version\":\"1.0.0\",\"digest\":\"sha256:");

        JsonObject binding = entryJson(index - 1);
        assertThat(Json.write(binding)).isEqualTo("{\"kind\":\"keyset/v1\",\"namespace\":\"alpha\",\"sequence\":1,\"keys\":[{"
                + "\"keyid\":\"" + key.keyId().hex() + "\",\"publicKey\":\"" + key.publicKey().base64() + "\"}]}");

        assertThat(TestNode.await(node.pool().preparedQuery(
                "SELECT e.idx FROM package_versions v JOIN log_entries e ON e.id = v.log_entry"
                        + " WHERE v.namespace = 'alpha' AND v.name = 'langid'").execute())
                .iterator().next().getLong(0)).isEqualTo(index);

        // an idempotent republish appends nothing and reports the same entry
        long before = entries();
        Reply again = http.publish(pkg);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().getJsonObject("log").getLong("index")).isEqualTo(index);
        assertThat(entries()).isEqualTo(before);
    }

    @Test
    void refusedPublishesAppendNothing() {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        publish(TestPackage.builder("bravo/model", "1.0.0").labels("en", "fr").build(key));
        long before = entries();

        // refused before the transaction: the artifact was never uploaded
        Reply missing = http.post("/v1/packages", TestPackage.builder("bravo/model", "1.0.1").build(key).bundleJson());
        assertThat(missing.status()).as(missing.body()).isEqualTo(422);
        // refused inside the transaction: breaks the interface of 1.0.0
        Reply incompatible = http.publish(TestPackage.builder("bravo/model", "1.1.0").labels("fr", "en").build(key));
        assertThat(incompatible.status()).as(incompatible.body()).isEqualTo(422);
        // refused by the appender itself, after the namespace binding was appended in the same transaction
        String big = "x".repeat(60_000);
        Reply tooLarge = http.publish(TestPackage.builder("charlie/huge", "1.0.0")
                .editContract(c -> c.put("architecture", new io.vertx.core.json.JsonObject().put("family", "mlp")
                        .put("opset", 1).put("config", new io.vertx.core.json.JsonObject().put("padding", big))))
                .build(key));
        assertThat(tooLarge.status()).as(tooLarge.body()).isEqualTo(413);
        assertThat(tooLarge.detail()).contains("log entry").contains("at most 65535 bytes");

        assertThat(entries()).isEqualTo(before);
        assertThat(http.get("/v1/namespaces/charlie").status()).isEqualTo(404);   // the binding rolled back too
    }

    @Test
    void anEntryAppendedInATransactionThatRollsBackIsGone() {
        LogAppender appender = NodeLog.open(node.services()).appender();
        long before = entries();
        Future<LogEntryId> failed = node.pool().withTransaction(tx -> appender.append(tx, "{\"kind\":\"test\"}".getBytes())
                .compose(id -> Future.failedFuture(new IllegalStateException("after append " + id))));
        assertThatThrownBy(() -> TestNode.await(failed)).hasMessageContaining("after append LogEntryId");
        assertThat(entries()).isEqualTo(before);
        // the index is handed out again
        Reply next = publish(TestPackage.builder("delta/model", "1.0.0").build(Ed25519PrivateKey.generate()));
        assertThat(next.json().getJsonObject("log").getLong("index")).isEqualTo(before + 1);  // keyset at before
    }

    @Test
    void theLogIsAppendOnlyInTheDatabase() {
        publish(TestPackage.builder("echo/model", "1.0.0").build(Ed25519PrivateKey.generate()));
        log.awaitSize(entries());
        assertThatThrownBy(() -> TestNode.await(node.pool().query("UPDATE log_entries SET data = '\\x00' WHERE idx = 0")
                .execute())).hasMessageContaining("append-only");
        assertThatThrownBy(() -> TestNode.await(node.pool().query("DELETE FROM log_checkpoints").execute()))
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> TestNode.await(node.pool().query("DELETE FROM log_tiles").execute()))
                .hasMessageContaining("append-only");
    }

    @Test
    void concurrentPublishesGetGaplessIndicesThatMatchTheirVersions() throws Exception {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        publish(TestPackage.builder("foxtrot/p0", "1.0.0").build(key));
        List<TestPackage> packages = new ArrayList<>();
        for (int i = 1; i <= 48; i++) {
            packages.add(TestPackage.builder("foxtrot/p" + i, "1.0.0").build(key));
        }
        ExecutorService threads = Executors.newFixedThreadPool(16);
        try {
            List<java.util.concurrent.Future<Reply>> replies = new ArrayList<>();
            for (TestPackage p : packages) {
                replies.add(threads.submit(() -> http.publish(p)));
            }
            for (java.util.concurrent.Future<Reply> r : replies) {
                assertThat(r.get().status()).as(r.get().body()).isEqualTo(201);
            }
        } finally {
            threads.shutdown();
        }
        var rows = TestNode.await(node.pool().query("SELECT count(*), min(idx), max(idx) FROM log_entries").execute())
                .iterator().next();
        assertThat(rows.getLong(1)).isZero();
        assertThat(rows.getLong(2)).isEqualTo(rows.getLong(0) - 1);
        for (Row v : TestNode.await(node.pool().query(
                "SELECT v.name, v.digest, e.idx AS log_index FROM package_versions v JOIN log_entries e"
                        + " ON e.id = v.log_entry WHERE v.namespace = 'foxtrot'").execute())) {
            JsonObject e = entryJson(v.getLong("log_index"));
            assertThat(e.string("name")).isEqualTo("foxtrot/" + v.getString("name"));
            assertThat(e.string("digest")).isEqualTo(v.getString("digest"));
        }
    }

    @Test
    void keysetChangesAndYanksAreLoggedOnce() {
        Ed25519PrivateKey old = Ed25519PrivateKey.generate();
        Ed25519PrivateKey next = Ed25519PrivateKey.generate();
        publish(TestPackage.builder("golf/model", "1.0.0").build(old));
        TestPackage pkg = TestPackage.builder("golf/model", "1.0.1").build(old);
        publish(pkg);

        byte[] statement = ("{\"schema\":\"grove.yank/v2\",\"name\":\"golf/model\",\"version\":\"1.0.1\","
                + "\"digest\":\"" + pkg.digest() + "\",\"reason\":\"bad labels\"}").getBytes(StandardCharsets.UTF_8);
        Envelope yank = EnvelopeSigner.sign(PayloadTypes.YANK, statement, old);
        long before = entries();
        assertThat(http.post("/v1/packages/golf/model/versions/1.0.1/yank", yank.toJsonString()).status()).isEqualTo(200);
        assertThat(entries()).isEqualTo(before + 1);
        assertThat(entry(before)).isEqualTo(LogEntries.yank(dev.grove.pkg.PackageName.parse("golf/model"), "1.0.1",
                pkg.digest(), yank));
        assertThat(http.post("/v1/packages/golf/model/versions/1.0.1/yank", yank.toJsonString()).json()
                .getBoolean("changed")).isFalse();
        assertThat(entries()).isEqualTo(before + 1);   // yanking again changes nothing, logs nothing

        byte[] change = new io.vertx.core.json.JsonObject().put("schema", "grove.keyset/v2").put("namespace", "golf")
                .put("sequence", 2).put("previous", dev.grove.pkg.KeysetChange.keysetDigest("golf", 1,
                        java.util.List.of(old.keyId())).toString()).put("keys", new JsonArray().add(new io.vertx.core.json.JsonObject()
                        .put("keyid", next.keyId().hex()).put("publicKey", next.publicKey().base64())))
                .encode().getBytes(StandardCharsets.UTF_8);
        Envelope signed = EnvelopeSigner.sign(PayloadTypes.KEYSET, change, old);
        assertThat(http.post("/v1/namespaces/golf/keyset", signed.toJsonString()).status()).isEqualTo(200);
        JsonObject entry = entryJson(before + 1);
        assertThat(entry.string("kind")).isEqualTo("keyset/v1");
        assertThat(entry.integer("sequence")).isEqualTo(2);
        assertThat(Envelope.parse(entry.object("envelope"))).isEqualTo(signed);
        assertThat(Json.write(entry)).endsWith("\"envelope\":" + signed.toJsonString() + "}");
    }

    @Test
    void servedCheckpointTilesAndProofsVerify() throws Exception {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        List<Long> sizes = new ArrayList<>();
        for (int wave = 0; wave < 4; wave++) {
            for (int i = 0; i < 5 + wave * 3; i++) {
                publish(TestPackage.builder("hotel/w" + wave + "-" + i, "1.0.0").build(key));
            }
            sizes.add(log.awaitSize(entries()).size());
        }
        String verifierKey = log.logKey();
        assertThat(verifierKey).startsWith("localhost:" + node.port() + "/grove-log+");
        JsonObject wellKnown = Json.parseObject(log.get("/.well-known/grove/node").body());
        assertThat(wellKnown.string("logKey")).isEqualTo(verifierKey);
        assertThat(wellKnown.string("logOrigin")).isEqualTo("localhost:" + node.port() + "/grove-log");
        assertThat(wellKnown.string("publicUrl")).isEqualTo("http://localhost:" + node.port());

        LogFetch.Bytes served = log.get("/log/checkpoint");
        assertThat(served.contentType()).startsWith("text/plain");
        assertThat(served.cacheControl()).isEqualTo("no-cache");
        Checkpoint cp = CheckpointVerifier.verify(served.text(), verifierKey);
        long size = cp.size();

        // the tiles fetched over HTTP reproduce the root
        HashSources.TileReader overHttp = path -> {
            LogFetch.Bytes tile = log.get("/log/" + path);
            if (tile.status() != 200) {
                throw new ProofException(path + ": " + tile.status());
            }
            assertThat(tile.cacheControl()).contains(path.isPartial() ? "max-age=60" : "immutable");
            return tile.body();
        };
        assertThat(HashSources.fromTiles(overHttp, size).rootHash(size)).isEqualTo(cp.rootHash());

        // every entry bundle's leaf hashes are the level-0 tile
        List<byte[]> all = new ArrayList<>();
        for (long n = 0; n * TilePath.WIDTH < size; n++) {
            TilePath bundlePath = TilePath.entryBundleFor(n * TilePath.WIDTH, size);
            EntryBundle bundle = EntryBundle.parse(log.get("/log/" + bundlePath).body(), bundlePath.width());
            HashTile tile = HashTile.parse(overHttp.readTile(TilePath.forTree(0, n, size)), bundlePath.width());
            assertThat(bundle.leafHashes()).usingElementComparator(java.util.Arrays::compare).isEqualTo(tile.hashes());
            all.addAll(bundle.entries());
        }
        assertThat(MerkleHash.rootFromEntries(all)).isEqualTo(cp.rootHash());

        // every entry's inclusion proof
        for (long i = 0; i < size; i++) {
            List<byte[]> proof = hashes(http.get("/v1/log/inclusion?index=" + i + "&size=" + size).json()
                    .getJsonArray("hashes"));
            InclusionProof.verify(MerkleHash.leafHash(all.get((int) i)), i, size, cp.rootHash(), proof);
        }
        // a changed entry does not verify
        byte[] tampered = all.get(3).clone();
        tampered[tampered.length - 2] ^= 1;
        List<byte[]> proof3 = hashes(http.get("/v1/log/inclusion?index=3&size=" + size).json().getJsonArray("hashes"));
        assertThatThrownBy(() -> InclusionProof.verify(MerkleHash.leafHash(tampered), 3, size, cp.rootHash(), proof3))
                .isInstanceOf(ProofException.class);

        // consistency between every pair of published checkpoints
        List<Object[]> checkpoints = new ArrayList<>();
        for (Row row : TestNode.await(node.pool().query("SELECT size, note FROM log_checkpoints ORDER BY size").execute())) {
            Checkpoint c = CheckpointVerifier.verify(row.getString("note"), verifierKey);
            assertThat(c.size()).isEqualTo(row.getLong("size"));
            checkpoints.add(new Object[] {c.size(), c.rootHash()});
        }
        assertThat(checkpoints.size()).isGreaterThanOrEqualTo(4);
        for (Object[] a : checkpoints) {
            for (Object[] b : checkpoints) {
                long from = (long) a[0];
                long to = (long) b[0];
                if (from > to) {
                    continue;
                }
                List<byte[]> proof = hashes(http.get("/v1/log/consistency?from=" + from + "&to=" + to).json()
                        .getJsonArray("hashes"));
                ConsistencyProof.verify(from, (byte[]) a[1], to, (byte[]) b[1], proof);
            }
        }
    }

    @Test
    void versionDocumentsCarryAProofTheClientCanCheckFromTheBundleAlone() throws Exception {
        TestPackage pkg = TestPackage.builder("india/model", "1.0.0").build(Ed25519PrivateKey.generate());
        long index = publish(pkg).json().getJsonObject("log").getLong("index");
        log.awaitSize(index + 1);
        io.vertx.core.json.JsonObject doc = http.get("/v1/packages/india/model/versions/1.0.0").json();
        io.vertx.core.json.JsonObject proof = doc.getJsonObject("log");
        assertThat(proof.getLong("index")).isEqualTo(index);
        Checkpoint cp = CheckpointVerifier.verify(proof.getString("checkpoint"), log.logKey());
        assertThat(cp.size()).isEqualTo(proof.getLong("treeSize"));
        Bundle served = Bundle.parse(doc.getJsonObject("bundle").encode());
        InclusionProof.verify(MerkleHash.leafHash(LogEntries.pkg(served)), index, cp.size(), cp.rootHash(),
                hashes(proof.getJsonArray("inclusion")));
    }

    @Test
    void badRangesAndUnknownTilesAreProblems() {
        publish(TestPackage.builder("juliet/model", "1.0.0").build(Ed25519PrivateKey.generate()));
        long size = log.awaitSize(entries()).size();
        assertThat(http.get("/v1/log/inclusion?index=" + size + "&size=" + size).status()).isEqualTo(400);
        assertThat(http.get("/v1/log/inclusion?index=0&size=" + (size + 1000)).status()).isEqualTo(404);
        assertThat(http.get("/v1/log/inclusion?index=-1").status()).isEqualTo(400);
        assertThat(http.get("/v1/log/inclusion?index=abc").status()).isEqualTo(400);
        assertThat(http.get("/v1/log/inclusion").status()).isEqualTo(400);
        assertThat(http.get("/v1/log/consistency?from=5&to=2").status()).isEqualTo(400);
        assertThat(http.get("/v1/log/consistency?from=0&to=" + (size + 1000)).status()).isEqualTo(404);
        assertThat(http.get("/v1/log/consistency?from=0").json().getLong("to")).isGreaterThanOrEqualTo(size);
        assertThat(log.get("/log/tile/0/999").status()).isEqualTo(404);
        assertThat(log.get("/log/tile/entries/x001/000").status()).isEqualTo(404);
        assertThat(log.get("/log/tile/0/0").status()).isEqualTo(404);          // malformed: not 3 digits
        assertThat(log.get("/log/tile/0/000.p/0").status()).isEqualTo(404);
        assertThat(log.get("/log/tile/0/000.p/" + (size % 256 + 1)).status()).isIn(200, 404);
    }

    @Test
    void theLogKeyIsKeptPrivateInTheDataDirectory() throws Exception {
        Path file = data.resolve(LogKeyFile.FILE_NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        LogKey reread = LogKeyFile.loadOrCreate(data, "localhost:" + node.port() + "/grove-log");
        assertThat(reread.verifier().toString()).isEqualTo(log.logKey());
    }

    static List<byte[]> hashes(JsonArray array) {
        List<byte[]> out = new ArrayList<>();
        for (Object o : array) {
            out.add(Base64.getDecoder().decode((String) o));
        }
        return out;
    }
}
