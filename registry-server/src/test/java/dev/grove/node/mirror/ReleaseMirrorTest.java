package dev.grove.node.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.checkpoint.Checkpoint;
import dev.grove.checkpoint.CheckpointVerifier;
import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.dsse.Envelope;
import dev.grove.dsse.EnvelopeSigner;
import dev.grove.federation.Evidence;
import dev.grove.federation.EvidenceCheck;
import dev.grove.federation.EvidenceException;
import dev.grove.logentry.LogEntries;
import dev.grove.node.Node;
import dev.grove.node.feature.NodeServices;
import dev.grove.node.log.NodeLog;
import dev.grove.node.release.Decision;
import dev.grove.node.release.Release;
import dev.grove.node.release.ReleaseEvaluator;
import dev.grove.node.release.ReleasePolicy;
import dev.grove.node.release.Status;
import dev.grove.node.testing.NodeFixture;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.TestNode;
import dev.grove.node.testing.TestPackage;
import dev.grove.note.NoteSigner;
import dev.grove.pkg.PackageName;
import dev.grove.tlog.InclusionProof;
import dev.grove.tlog.MerkleHash;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Release decisions across federation: a mirror follows a real node, verifies its signed decisions and shows the
 * origin's status; two lying nodes log a decision not signed by their log key, and a replayed decision, and are
 * quarantined with evidence (the entries proven in the checkpoint) that the offline checker accepts.
 */
class ReleaseMirrorTest {

    static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    static Path dataA;
    @TempDir
    static Path dataM;

    static NodeFixture nodes;
    static Node a;
    static Node mirror;
    static NodeHttp http;
    static String originA;
    static ReleaseEvaluator evaluatorA;
    static final Ed25519PrivateKey publisher = Ed25519PrivateKey.generate();
    static LyingNode unsigned;
    static final Ed25519PrivateKey replayKey = Ed25519PrivateKey.generate();
    static LyingNode replay;

    @BeforeAll
    static void start() {
        unsigned = new LyingNode("unsigned");
        unsigned.publish(pkg("unsigned/model", "1.0.0"), publisher);
        replay = new LyingNode(NoteSigner.ed25519("replay.grove.test/grove-log", replayKey));
        replay.publish(pkg("replay/model", "1.0.0"), publisher);
        nodes = new NodeFixture();
        a = nodes.start(TestNode.config(dataA)
                .withRelease(ReleasePolicy.defaults().withInterval(Duration.ofHours(1))));
        originA = Mirrors.origin(a);
        mirror = nodes.start(Mirrors.following(dataM, Mirrors.url(a), unsigned.url(), replay.url()));
        http = new NodeHttp(mirror.port());
        NodeServices services = a.services();
        evaluatorA = Release.open(services, NodeLog.open(services), a.config().release(), a.config().reports().minimumReports()).evaluator();
    }

    @AfterAll
    static void stop() {
        unsigned.close();
        replay.close();
        nodes.close();
    }

    static TestPackage pkg(String name, String version) {
        return TestPackage.builder(name, version).weights((name + "@" + version + " weights").getBytes(StandardCharsets.UTF_8))
                .build(publisher);
    }

    @Test
    void theMirrorShowsTheOriginsPromotionAndDemotion() throws Exception {
        NodeHttp httpA = new NodeHttp(a.port());
        TestPackage v1 = pkg("garden/langid", "1.0.0");
        TestPackage v11 = pkg("garden/langid", "1.1.0");
        assertThat(httpA.publish(v1).status()).isEqualTo(201);
        assertThat(httpA.publish(v11).status()).isEqualTo(201);
        reports(v1, 32, 40);
        Decision promotion = TestNode.await(evaluatorA.evaluate(v1.digest().toString())).orElseThrow();

        String path = Mirrors.versionPath(originA, "garden/langid@1.0.0");
        Mirrors.await("the mirror to show the promotion", DEADLINE,
                () -> http.get(path).status() == 200 && "promoted".equals(http.get(path).json().getString("status")));
        JsonObject release = http.get(path).json().getJsonObject("release");
        assertThat(release.getString("status")).isEqualTo("promoted");
        JsonObject decision = release.getJsonObject("decision");
        assertThat(decision.getLong("sequence")).isEqualTo(1);
        assertThat(decision.getLong("logIndex")).isEqualTo(promotion.logIndex());
        assertThat(Envelope.parse(decision.getJsonObject("envelope").encode())).isEqualTo(promotion.envelope());
        assertThat(http.get(Mirrors.versionPath(originA, "garden/langid@latest")).json().getString("version"))
                .isEqualTo("1.0.0");
        // the mirror proves the decision's entry in the origin's log, checkable with the origin's key alone
        Mirrors.await("the mirror to prove the decision in " + originA + "'s log", DEADLINE, () -> http.get(path).json()
                .getJsonObject("release").getJsonObject("decision").getJsonObject("log").containsKey("inclusion"));
        JsonObject proof = http.get(path).json().getJsonObject("release").getJsonObject("decision").getJsonObject("log");
        Checkpoint cp = CheckpointVerifier.verify(proof.getString("checkpoint"),
                httpA.get("/.well-known/grove/log-key").body().trim());
        List<byte[]> hashes = new ArrayList<>();
        proof.getJsonArray("inclusion").forEach(h -> hashes.add(java.util.Base64.getDecoder().decode((String) h)));
        InclusionProof.verify(MerkleHash.leafHash(LogEntries.decision(PackageName.parse("garden/langid"), "1.0.0",
                v1.digest(), "promoted", promotion.envelope())), promotion.logIndex(), cp.size(), cp.rootHash(), hashes);

        reports(v1, 30, 160);
        Decision demotion = TestNode.await(evaluatorA.evaluate(v1.digest().toString())).orElseThrow();
        assertThat(demotion.status()).isEqualTo(Status.EXPERIMENT);
        Mirrors.await("the mirror to show the demotion", DEADLINE,
                () -> "experiment".equals(http.get(path).json().getString("status")));
        assertThat(http.get(path).json().getJsonObject("release").getJsonObject("decision").getLong("sequence"))
                .isEqualTo(2);
        assertThat(http.get(Mirrors.versionPath(originA, "garden/langid@latest")).json().getString("version"))
                .isEqualTo("1.1.0");
        assertThat(Mirrors.count(mirror, "SELECT count(*) FROM release_decisions WHERE origin = '" + originA + "'"))
                .isEqualTo(2);
        assertThat(Mirrors.peer(mirror, Mirrors.url(a)).getString("status")).isEqualTo("trusted");
    }

    @Test
    void forgedDecision_notSignedByTheLogKey() {
        synced(unsigned);
        TestPackage honest = pkg("unsigned/model", "1.0.0");
        Envelope forged = EnvelopeSigner.sign(Decision.PAYLOAD_TYPE, payload(unsigned.origin(), honest, 1, "experiment",
                "promoted"), Ed25519PrivateKey.generate());
        unsigned.log.append(LogEntries.decision(PackageName.parse("unsigned/model"), "1.0.0", honest.digest(),
                "promoted", forged));
        unsigned.size = unsigned.log.size();
        JsonObject e = quarantined(unsigned, "forged-decision");
        assertThat(e.getString("detail")).startsWith("entry 2: decision on unsigned/model@1.0.0 is not signed by the log "
                + "key of " + unsigned.origin());
        assertThat(indices(e)).containsExactly(2L);
        assertThat(http.get(Mirrors.versionPath(unsigned.origin(), "unsigned/model@1.0.0")).json().getString("status"))
                .isEqualTo("experiment");
    }

    @Test
    void forgedDecision_aReplayedPromotion() {
        synced(replay);
        TestPackage honest = pkg("replay/model", "1.0.0");
        Envelope promotion = EnvelopeSigner.sign(Decision.PAYLOAD_TYPE, payload(replay.origin(), honest, 1, "experiment",
                "promoted"), replayKey);
        byte[] entry = LogEntries.decision(PackageName.parse("replay/model"), "1.0.0", honest.digest(), "promoted",
                promotion);
        replay.log.append(entry);
        replay.size = replay.log.size();
        String path = Mirrors.versionPath(replay.origin(), "replay/model@1.0.0");
        Mirrors.await("the mirror to accept the signed promotion", DEADLINE,
                () -> "promoted".equals(http.get(path).json().getString("status")));

        replay.log.append(entry);
        replay.size = replay.log.size();
        JsonObject e = quarantined(replay, "forged-decision");
        assertThat(e.getString("detail")).isEqualTo("entry 3: decision 1 on replay/model@1.0.0 changes 'experiment' to "
                + "'promoted', but the log's decisions make it decision 2 from 'promoted'");
        // the decision before it and the replay, each proven in the checkpoint
        assertThat(indices(e)).containsExactly(2L, 3L);
        assertThat(http.get(path).json().getString("status")).isEqualTo("promoted");
        assertThat(Mirrors.count(mirror, "SELECT count(*) FROM release_decisions WHERE origin = '" + replay.origin() + "'"))
                .isEqualTo(1);
    }

    static byte[] payload(String node, TestPackage pkg, long sequence, String previous, String status) {
        return new JsonObject()
                .put("schema", "grove.decision/v1")
                .put("node", node)
                .put("subject", new JsonObject().put("name", pkg.name()).put("version", pkg.version())
                        .put("digest", pkg.digest().toString()))
                .put("sequence", sequence)
                .put("previous", previous)
                .put("status", status)
                .put("conditions", new JsonArray())
                .put("evidence", new JsonObject())
                .encode().getBytes(StandardCharsets.UTF_8);
    }

    static void synced(LyingNode liar) {
        Mirrors.await("the mirror to accept " + liar.url() + "'s honest log", DEADLINE,
                () -> Mirrors.findPeer(mirror, liar.url()).filter(p -> Long.valueOf(liar.size).equals(p.getLong("nextEntry")))
                        .isPresent());
    }

    static JsonObject quarantined(LyingNode liar, String kind) {
        Mirrors.await(liar.url() + " to be quarantined", DEADLINE,
                () -> Mirrors.findPeer(mirror, liar.url()).filter(p -> "quarantined".equals(p.getString("status"))).isPresent());
        assertThat(Mirrors.peer(mirror, liar.url()).getString("reason")).startsWith(kind + ": ");
        JsonArray evidence = http.get("/v1/peers/evidence?peer=" + URLEncoder.encode(liar.url(), StandardCharsets.UTF_8))
                .json().getJsonArray("evidence");
        assertThat(evidence.size()).isEqualTo(1);
        JsonObject e = evidence.getJsonObject(0);
        assertThat(e.getString("kind")).isEqualTo(kind);
        assertThat(e.getString("origin")).isEqualTo(liar.origin());
        // checkable offline with the liar's key alone
        try {
            EvidenceCheck.check(Evidence.parse(dev.grove.json.Json.parseObject(e.encode())), liar.key.verifier());
        } catch (EvidenceException x) {
            throw new AssertionError(x.getMessage(), x);
        }
        return e;
    }

    static List<Long> indices(JsonObject evidence) {
        List<Long> out = new ArrayList<>();
        evidence.getJsonArray("entries").forEach(x -> out.add(((JsonObject) x).getLong("index")));
        return out;
    }

    static void reports(TestPackage pkg, int yes, int n) {
        List<Tuple> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(Tuple.of(pkg.digest().toString(), i < yes, LocalDate.of(2026, 11, 1 + i % 10)));
        }
        TestNode.await(a.pool().preparedQuery("""
                INSERT INTO reports (package_digest, helped, runtime, device_class, received_day)
                VALUES ($1, $2, 'wasm', 'desktop', $3)""").executeBatch(rows));
    }
}
