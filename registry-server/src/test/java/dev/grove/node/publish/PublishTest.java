package dev.grove.node.publish;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.crypto.Sha256;
import dev.grove.dsse.Envelope;
import dev.grove.dsse.EnvelopeSigner;
import dev.grove.json.Json;
import dev.grove.node.Features;
import dev.grove.node.Node;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.NodeHttp.Reply;
import dev.grove.node.testing.TestNode;
import dev.grove.node.testing.TestPackage;
import dev.grove.pkg.Bundle;
import dev.grove.pkg.BundleVerifier;
import dev.grove.pkg.PayloadTypes;
import dev.grove.pkg.PublicKeyEntry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Publishing against a real node (embedded PostgreSQL, loopback HTTP, real signatures): what is accepted, and everything
 * that must be refused with a clear problem and nothing stored.
 */
class PublishTest {

    @TempDir
    static Path data;

    static Vertx vertx;
    static Node node;
    static NodeHttp http;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        node = TestNode.start(vertx, data, Features::all);
        http = new NodeHttp(node.port());
    }

    @AfterAll
    static void stop() {
        // Two awaits: a future composed onto vertx.close() completes on an event loop that close() has stopped.
        TestNode.await(node.stop());
        TestNode.await(vertx.close());
    }

    private static long count(String table, String where) {
        return TestNode.await(node.pool().query("SELECT count(*) FROM " + table + " WHERE " + where).execute())
                .iterator().next().getLong(0);
    }

    private static void assertProblem(Reply reply, int status, String detailContains) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.detail()).contains(detailContains);
    }

    @Test
    void firstPublishesIntoANewNamespaceRacingEachOtherAllSucceedWithTheSameKey() throws Exception {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        Ed25519PrivateKey other = Ed25519PrivateKey.generate();
        List<TestPackage> same = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            same.add(TestPackage.builder("racing/m" + i, "1.0.0").build(key));
        }
        TestPackage stranger = TestPackage.builder("racing/other", "1.0.0").build(other);
        same.forEach(p -> http.putBlob(p.weights()));
        http.putBlob(stranger.weights());
        // all at once: each finds the namespace unbound, one binds it, the others are checked against what it bound
        List<java.util.concurrent.CompletableFuture<Reply>> sent = new ArrayList<>();
        for (TestPackage p : same) {
            sent.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> http.post("/v1/packages", p.bundleJson())));
        }
        var strangerSent = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> http.post("/v1/packages", stranger.bundleJson()));
        List<Reply> replies = new ArrayList<>();
        for (var f : sent) {
            replies.add(f.get(60, java.util.concurrent.TimeUnit.SECONDS));
        }
        Reply strangers = strangerSent.get(60, java.util.concurrent.TimeUnit.SECONDS);
        if (strangers.status() == 201) {
            // the stranger's key bound the namespace first: every other publish is signed outside its keyset
            assertThat(replies).allSatisfy(r -> assertProblem(r, 403, "keyset"));
        } else {
            assertThat(replies).allSatisfy(r -> assertThat(r.status()).as(r.body()).isEqualTo(201));
            assertProblem(strangers, 403, "keyset");
        }
        assertThat(count("keyset_changes", "namespace = 'racing'")).as("the namespace is bound once").isEqualTo(1);
    }

    @Test
    void publishThenFetchVerifiesAndRepublishIsIdempotent() {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        TestPackage pkg = TestPackage.builder("alpha/langid", "1.0.0").build(key);

        Reply created = http.publish(pkg);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().getString("ref")).isEqualTo("alpha/langid@1.0.0");
        assertThat(created.json().getString("digest")).isEqualTo(pkg.digest().toString());

        Reply again = http.post("/v1/packages", pkg.bundleJson());
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().getBoolean("created")).isFalse();

        JsonObject version = http.get("/v1/packages/alpha/langid/versions/1.0.0").json();
        Bundle fetched = Bundle.parse(version.getJsonObject("bundle").encode());
        var verified = BundleVerifier.verify(fetched, PublicKeyEntry.toMap(List.of(PublicKeyEntry.of(key.publicKey()))));
        assertThat(verified.digest()).isEqualTo(pkg.digest());
        assertThat(fetched.contract().payload()).isEqualTo(pkg.bundle().contract().payload());
        assertThat(version.getJsonArray("artifacts").getJsonObject(0).getString("digest"))
                .isEqualTo(Sha256.of(pkg.weights()).toString());

        assertThat(http.get("/v1/packages/alpha/langid/versions/latest").json().getString("version")).isEqualTo("1.0.0");
        assertThat(http.get("/v1/digests/" + pkg.digest()).json().getString("ref")).isEqualTo("alpha/langid@1.0.0");
        assertThat(count("package_versions", "namespace = 'alpha'")).isEqualTo(1);
    }

    @Test
    void keyOutsideTheNamespaceKeysetIsRefused() {
        Ed25519PrivateKey owner = Ed25519PrivateKey.generate();
        Ed25519PrivateKey stranger = Ed25519PrivateKey.generate();
        assertThat(http.publish(TestPackage.builder("bravo/model", "1.0.0").build(owner)).status()).isEqualTo(201);

        Reply refused = http.publish(TestPackage.builder("bravo/model", "1.1.0").build(stranger));
        assertProblem(refused, 403, "not in the keyset of namespace 'bravo'");
        assertThat(refused.detail()).contains(stranger.keyId().hex());
        assertThat(count("package_versions", "namespace = 'bravo'")).isEqualTo(1);
        assertThat(count("namespace_keys", "namespace = 'bravo'")).isEqualTo(1);
    }

    @Test
    void payloadChangedAfterSigningIsRefused() {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        TestPackage pkg = TestPackage.builder("charlie/model", "1.0.0").build(key);
        JsonObject bundle = new JsonObject(pkg.bundleJson());
        JsonObject contract = bundle.getJsonObject("contract");
        String payload = new String(java.util.Base64.getDecoder().decode(contract.getString("payload")), StandardCharsets.UTF_8);
        String changed = payload.replace("Language identification for tests", "Language identification, tampered");
        contract.put("payload", java.util.Base64.getEncoder().encodeToString(changed.getBytes(StandardCharsets.UTF_8)));
        http.putBlob(pkg.weights());

        Reply refused = http.post("/v1/packages", bundle.encode());
        assertProblem(refused, 400, "does not verify");
        assertThat(count("namespaces", "name = 'charlie'")).isZero();

        // the same into a namespace that already has its keyset: signed by one of its keys, but not this payload
        assertThat(http.publish(pkg).status()).isEqualTo(201);
        TestPackage next = TestPackage.builder("charlie/model", "1.0.1").build(key);
        JsonObject nextBundle = new JsonObject(next.bundleJson());
        JsonObject lineage = nextBundle.getJsonObject("lineage");
        String card = new String(java.util.Base64.getDecoder().decode(lineage.getString("payload")), StandardCharsets.UTF_8);
        lineage.put("payload", java.util.Base64.getEncoder().encodeToString(
                card.replace("\"operator\"", " \"operator\"").getBytes(StandardCharsets.UTF_8)));
        assertProblem(http.post("/v1/packages", nextBundle.encode()), 400,
                "lineage: signature by key " + key.keyId().hex() + " does not verify");
        assertThat(count("package_versions", "namespace = 'charlie' AND version = '1.0.1'")).isZero();
    }

    @Test
    void blobWhoseBytesDoNotMatchItsDigestIsRefused() {
        byte[] bytes = "real weights".getBytes(StandardCharsets.UTF_8);
        Sha256 other = Sha256.of("other weights".getBytes(StandardCharsets.UTF_8));
        Reply refused = http.putBlob(other, bytes);
        assertProblem(refused, 400, Sha256.of(bytes).toString());
        assertThat(http.get("/v1/blobs/" + other).status()).isEqualTo(404);
    }

    @Test
    void sameVersionWithOtherContentIsRefusedAndTheStoredOneIsUntouched() {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        TestPackage first = TestPackage.builder("delta/model", "1.0.0").build(key);
        TestPackage second = TestPackage.builder("delta/model", "1.0.0").summary("Another content").build(key);
        assertThat(http.publish(first).status()).isEqualTo(201);

        Reply refused = http.publish(second);
        assertProblem(refused, 409, "already published with other content");
        assertThat(http.get("/v1/packages/delta/model/versions/1.0.0").json().getString("digest"))
                .isEqualTo(first.digest().toString());
    }

    @Test
    void incompatibleMinorReleaseIsRefusedNamingTheField() {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        assertThat(http.publish(TestPackage.builder("echo/model", "1.0.0").labels("en", "fr").build(key)).status())
                .isEqualTo(201);

        Reply refused = http.publish(TestPackage.builder("echo/model", "1.1.0").labels("en", "de").build(key));
        assertProblem(refused, 422, "labels[1]");
        assertThat(refused.detail()).contains("new major version");
        assertThat(count("package_versions", "namespace = 'echo'")).isEqualTo(1);

        // Appending a label is compatible, and a new major may break the interface.
        assertThat(http.publish(TestPackage.builder("echo/model", "1.1.0").labels("en", "fr", "de").build(key)).status())
                .isEqualTo(201);
        assertThat(http.publish(TestPackage.builder("echo/model", "2.0.0").labels("de").build(key)).status())
                .isEqualTo(201);
    }

    @Test
    void aBackfilledReleaseIsCheckedAgainstItsNearestNeighboursOnBothSides() {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        for (String[] release : new String[][] {{"1.0.0", "en"}, {"1.2.0", "en,fr"}, {"1.10.0", "en,fr,de"}}) {
            assertThat(http.publish(TestPackage.builder("echo2/model", release[0]).labels(release[1].split(","))
                    .build(key)).status()).as(release[0]).isEqualTo(201);
        }
        // 1.3.0 grows 1.2.0's labels (its nearest lower) compatibly, but with a third label that 1.10.0 (its nearest
        // higher, by SemVer, not by text) has otherwise: the later release would break against it.
        Reply refused = http.publish(TestPackage.builder("echo2/model", "1.3.0").labels("en", "fr", "es").build(key));
        assertProblem(refused, 422, "later release 1.10.0");
        // 1.1.0 between 1.0.0 and 1.2.0: compatible with both
        assertThat(http.publish(TestPackage.builder("echo2/model", "1.1.0").labels("en").build(key)).status())
                .isEqualTo(201);
        // 1.2.1 breaks its nearest lower, 1.2.0, not just 1.0.0
        assertProblem(http.publish(TestPackage.builder("echo2/model", "1.2.1").labels("en", "es").build(key)), 422,
                "breaks the interface of 1.2.0");
        assertThat(count("package_versions", "namespace = 'echo2'")).isEqualTo(4);
    }

    @Test
    void missingArtifactIsRefused() {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        TestPackage pkg = TestPackage.builder("foxtrot/model", "1.0.0")
                .weights("never uploaded".getBytes(StandardCharsets.UTF_8)).build(key);
        Reply refused = http.post("/v1/packages", pkg.bundleJson());
        assertProblem(refused, 422, "has not been uploaded");
        assertThat(count("namespaces", "name = 'foxtrot'")).isZero();
    }

    @Test
    void malformedAndOversizedJsonAreRefused() {
        assertProblem(http.post("/v1/packages", "{\"contract\": "), 400, "bundle");
        assertProblem(http.post("/v1/packages", "[]"), 400, "bundle");
        String huge = "{\"pad\":\"" + "x".repeat(2 << 20) + "\"}";
        Reply tooLarge = http.post("/v1/packages", huge);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.contentType()).startsWith("application/problem+json");
    }

    @Test
    void schemaViolationsAreNamedByLocation() {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        TestPackage pkg = TestPackage.builder("golf/model", "1.0.0")
                .editContract(c -> c.put("license", "not a license!")).build(key);
        Reply refused = http.publish(pkg);
        assertProblem(refused, 400, "/license");
        assertThat(count("namespaces", "name = 'golf'")).isZero();
    }

    @Test
    void yankInAnUnknownNamespaceIsRefused() {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        Envelope yank = EnvelopeSigner.sign(PayloadTypes.YANK,
                ("{\"schema\":\"grove.yank/v2\",\"name\":\"nobody/model\",\"version\":\"1.0.0\",\"digest\":\"sha256:"
                        + "ab".repeat(32) + "\",\"reason\":\"test\"}")
                        .getBytes(StandardCharsets.UTF_8), key);
        assertProblem(http.post("/v1/packages/nobody/model/versions/1.0.0/yank", yank.toJsonString()), 404,
                "namespace 'nobody' does not exist");
    }

    @Test
    void yankedVersionLeavesLatestButStaysFetchable() {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        Ed25519PrivateKey stranger = Ed25519PrivateKey.generate();
        http.publish(TestPackage.builder("hotel/model", "1.0.0").build(key));
        TestPackage newer = TestPackage.builder("hotel/model", "1.0.1").build(key);
        http.publish(newer);
        byte[] statement = ("{\"schema\":\"grove.yank/v2\",\"name\":\"hotel/model\",\"version\":\"1.0.1\","
                + "\"digest\":\"" + newer.digest() + "\",\"reason\":\"bad labels\"}").getBytes(StandardCharsets.UTF_8);

        assertProblem(http.post("/v1/packages/hotel/model/versions/1.0.1/yank",
                EnvelopeSigner.sign(PayloadTypes.YANK, statement, stranger).toJsonString()), 403, "not in the keyset");
        assertThat(http.get("/v1/packages/hotel/model/versions/latest").json().getString("version")).isEqualTo("1.0.1");

        Reply yanked = http.post("/v1/packages/hotel/model/versions/1.0.1/yank",
                EnvelopeSigner.sign(PayloadTypes.YANK, statement, key).toJsonString());
        assertThat(yanked.status()).as(yanked.body()).isEqualTo(200);
        assertThat(http.get("/v1/packages/hotel/model/versions/latest").json().getString("version")).isEqualTo("1.0.0");
        JsonObject byDigest = http.get("/v1/digests/" + newer.digest()).json();
        assertThat(byDigest.getBoolean("yanked")).isTrue();
        assertThat(byDigest.getString("yankReason")).isEqualTo("bad labels");
    }

    @Test
    void keysetChangeSignedByTheCurrentKeysetRotatesKeysAndIsNotReplayable() {
        Ed25519PrivateKey old = Ed25519PrivateKey.generate();
        Ed25519PrivateKey next = Ed25519PrivateKey.generate();
        http.publish(TestPackage.builder("india/model", "1.0.0").build(old));
        String change = new JsonObject().put("schema", "grove.keyset/v2").put("namespace", "india").put("sequence", 2)
                .put("previous", dev.grove.pkg.KeysetChange.keysetDigest("india", 1, List.of(old.keyId())).toString())
                .put("keys", new JsonArray().add(new JsonObject().put("keyid", next.keyId().hex())
                        .put("publicKey", next.publicKey().base64()))).encode();
        Envelope signedByNext = EnvelopeSigner.sign(PayloadTypes.KEYSET, change.getBytes(StandardCharsets.UTF_8), next);
        assertProblem(http.post("/v1/namespaces/india/keyset", signedByNext.toJsonString()), 403, "not in the keyset");

        Envelope signedByOld = EnvelopeSigner.sign(PayloadTypes.KEYSET, change.getBytes(StandardCharsets.UTF_8), old);
        assertThat(http.post("/v1/namespaces/india/keyset", signedByOld.toJsonString()).status()).isEqualTo(200);
        assertProblem(http.post("/v1/namespaces/india/keyset", signedByOld.toJsonString()), 403, "not in the keyset");

        assertProblem(http.publish(TestPackage.builder("india/model", "1.0.1").build(old)), 403, "not in the keyset");
        assertThat(http.publish(TestPackage.builder("india/model", "1.0.1").build(next)).status()).isEqualTo(201);
        JsonObject namespace = http.get("/v1/namespaces/india").json();
        assertThat(namespace.getLong("sequence")).isEqualTo(2);
        assertThat(namespace.getJsonArray("history")).hasSize(2);
    }

    @Test
    void concurrentPublishesOfOneVersionHaveExactlyOneWinner() throws Exception {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        http.publish(TestPackage.builder("juliet/model", "0.1.0").build(key));
        List<TestPackage> contenders = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            TestPackage pkg = TestPackage.builder("juliet/model", "1.0.0").summary("contender " + i).build(key);
            http.putBlob(pkg.weights());
            contenders.add(pkg);
        }
        ExecutorService pool = Executors.newFixedThreadPool(contenders.size());
        try {
            List<Future<Reply>> replies = new ArrayList<>();
            for (TestPackage pkg : contenders) {
                replies.add(pool.submit((Callable<Reply>) () -> http.post("/v1/packages", pkg.bundleJson())));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Reply> reply : replies) {
                statuses.add(reply.get().status());
            }
            assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
            assertThat(statuses).filteredOn(s -> s == 409).hasSize(contenders.size() - 1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(count("package_versions", "namespace = 'juliet' AND version = '1.0.0'")).isEqualTo(1);
    }

    @Test
    void searchAndLineageFollowDigests() {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        TestPackage parent = TestPackage.builder("kilo/sentiment", "1.0.0").summary("Sentiment of short reviews")
                .task("sentiment-analysis").build(key);
        http.publish(parent);
        TestPackage child = TestPackage.builder("kilo/sentiment-int8", "1.0.0").summary("Distilled sentiment model")
                .task("sentiment-analysis").parent("distill", parent.digest(), "kilo/sentiment@1.0.0").build(key);
        assertThat(http.publish(child).status()).isEqualTo(201);

        JsonArray results = http.get("/v1/search?q=sentiment&task=sentiment-analysis").json().getJsonArray("results");
        assertThat(results.stream().map(r -> ((JsonObject) r).getString("name")))
                .containsExactlyInAnyOrder("kilo/sentiment", "kilo/sentiment-int8");
        assertThat(http.get("/v1/search?q=reviews").json().getJsonArray("results")).hasSize(1);
        assertThat(http.get("/v1/search?q=sentiment&license=MIT").json().getJsonArray("results")).isEmpty();

        // part of a name: a prefix finds both, the package whose name starts with it first; case does not matter
        assertThat(http.get("/v1/search?q=Senti").json().getJsonArray("results").stream()
                .map(r -> ((JsonObject) r).getString("name")))
                .containsExactly("kilo/sentiment", "kilo/sentiment-int8");
        assertThat(http.get("/v1/search?q=kilo/sent").json().getJsonArray("results")).hasSize(2);
        assertThat(http.get("/v1/search?q=int8").json().getJsonArray("results").stream()
                .map(r -> ((JsonObject) r).getString("name"))).containsExactly("kilo/sentiment-int8");
        // no name contains sentimentx: the node answers with the names most like it, each marked as a fuzzy match
        JsonArray similar = http.get("/v1/search?q=sentimentx").json().getJsonArray("results");
        assertThat(similar.stream().map(r -> ((JsonObject) r).getString("name"))).first().isEqualTo("kilo/sentiment");
        assertThat(similar.stream().map(r -> ((JsonObject) r).getString("match"))).containsOnly("fuzzy");

        JsonObject down = http.get("/v1/lineage/" + parent.digest()).json();
        assertThat(down.getJsonArray("edges")).hasSize(1);
        JsonObject edge = down.getJsonArray("edges").getJsonObject(0);
        assertThat(edge.getString("child")).isEqualTo(child.digest().toString());
        assertThat(edge.getString("operator")).isEqualTo("distill");
        JsonObject up = http.get("/v1/lineage/" + child.digest() + "?depth=1").json();
        assertThat(up.getJsonArray("nodes").stream().map(n -> ((JsonObject) n).getString("ref")))
                .contains("kilo/sentiment@1.0.0", "kilo/sentiment-int8@1.0.0");
        assertProblem(http.get("/v1/lineage/" + parent.digest() + "?depth=99"), 400, "depth");
    }
}
