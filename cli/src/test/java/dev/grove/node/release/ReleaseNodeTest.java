package dev.grove.node.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.checkpoint.Checkpoint;
import dev.grove.checkpoint.CheckpointVerifier;
import dev.grove.cli.GroveCli;
import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.crypto.Ed25519PublicKey;
import dev.grove.crypto.Sha256;
import dev.grove.dsse.Envelope;
import dev.grove.dsse.EnvelopeSigner;
import dev.grove.dsse.EnvelopeVerifier;
import dev.grove.logentry.LogEntries;
import dev.grove.node.Features;
import dev.grove.node.Node;
import dev.grove.node.feature.NodeServices;
import dev.grove.node.health.NodeMetrics;
import dev.grove.node.log.NodeLog;
import dev.grove.node.testing.Eventually;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.TestNode;
import dev.grove.node.testing.TestPackage;
import dev.grove.note.NoteVerifier;
import dev.grove.pkg.PackageName;
import dev.grove.pkg.PayloadTypes;
import dev.grove.tlog.InclusionProof;
import dev.grove.tlog.MerkleHash;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Release on a whole node: real PostgreSQL, HTTP on loopback, real signatures. The node's own evaluator runs on an hour
 * timer, so the tests drive evaluation rounds themselves through evaluators over the node's database and log key (as
 * further processes of the node would).
 */
class ReleaseNodeTest {

    @TempDir
    static Path data;
    static Vertx vertx;
    static Node node;
    static NodeHttp http;
    static NodeLog log;
    static ReleaseEvaluator evaluator;
    static final Ed25519PrivateKey KEY = Ed25519PrivateKey.generate();

    @BeforeAll
    static void start() {
        vertx = NodeMetrics.createVertx();
        node = TestNode.start(vertx, TestNode.config(data)
                .withRelease(ReleasePolicy.defaults().withInterval(Duration.ofHours(1))), Features::all);
        http = new NodeHttp(node.port());
        NodeServices services = node.services();
        log = NodeLog.open(services);
        evaluator = Release.open(services, log, node.config().release(), node.config().reports().minimumReports()).evaluator();
    }

    @AfterAll
    static void stop() {
        TestNode.stop(node, vertx);
    }

    @Test
    void enoughPositiveEvidencePromotesByASignedLoggedDecisionAndLatestMoves() throws Exception {
        TestPackage v1 = publish(TestPackage.builder("alpha/langid", "1.0.0"));
        TestPackage v11 = publish(TestPackage.builder("alpha/langid", "1.1.0"));
        assertThat(http.get("/v1/packages/alpha/langid/versions/latest").json().getString("version")).isEqualTo("1.1.0");
        reports(v1, 32, 40, 0);

        Decision decision = TestNode.await(evaluator.evaluate(v1.digest().toString())).orElseThrow();
        assertThat(decision.previous()).isEqualTo(Status.EXPERIMENT);
        assertThat(decision.status()).isEqualTo(Status.PROMOTED);
        assertThat(decision.sequence()).isEqualTo(1);

        // the envelope verifies with the key the node publishes for its log
        String logKey = http.get("/.well-known/grove/log-key").body().trim();
        Ed25519PublicKey nodeKey = NoteVerifier.parse(logKey).publicKey();
        JsonObject doc = http.get("/v1/packages/alpha/langid/versions/1.0.0").json();
        assertThat(doc.getString("status")).isEqualTo("promoted");
        JsonObject release = doc.getJsonObject("release");
        assertThat(release.getString("status")).isEqualTo("promoted");
        assertThat(release.getJsonArray("missing")).isEmpty();
        assertThat(release.getJsonArray("conditions")).hasSize(4);
        JsonObject served = release.getJsonObject("decision");
        assertThat(served.getLong("logIndex")).isEqualTo(decision.logIndex());
        Envelope envelope = Envelope.parse(served.getJsonObject("envelope").encode());
        byte[] payloadBytes = EnvelopeVerifier.verify(envelope, Map.of(nodeKey.keyId(), nodeKey), Decision.PAYLOAD_TYPE)
                .payload();
        JsonObject payload = new JsonObject(new String(payloadBytes, StandardCharsets.UTF_8));
        assertThat(payload.getString("schema")).isEqualTo("grove.decision/v1");
        assertThat(payload.getString("status")).isEqualTo("promoted");
        assertThat(payload.getString("previous")).isEqualTo("experiment");
        assertThat(payload.getJsonObject("subject").getString("digest")).isEqualTo(v1.digest().toString());
        assertThat(payload.getJsonArray("conditions").stream().map(c -> ((JsonObject) c).getString("name")).toList())
                .containsExactly("benefit", "autonomy", "efficiency", "retention");
        JsonObject reports = payload.getJsonObject("evidence").getJsonObject("reports");
        assertThat(reports.getLong("count")).isEqualTo(40);
        assertThat(reports.getLong("helpedYes")).isEqualTo(32);
        assertThat(reports.getJsonObject("netHelp").getDouble("low")).isGreaterThan(0);
        assertThat(reports.getString("firstDay")).isEqualTo("2026-11-01");
        assertThat(reports.getString("lastDay")).isEqualTo("2026-11-10");

        // a forged signature does not verify
        Ed25519PublicKey other = Ed25519PrivateKey.generate().publicKey();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EnvelopeVerifier.verify(envelope,
                Map.of(other.keyId(), other), Decision.PAYLOAD_TYPE)).isInstanceOf(RuntimeException.class);

        // the decision is in the log: rebuilt entry, inclusion proof against a checkpoint signed by the log key
        // (a round of our own is skipped while the node's integrator holds the lock; either one covers the decision)
        Checkpoint cp = Eventually.await(Eventually.PATIENCE, () -> {
            TestNode.await(log.integrator().integrateOnce());
            return CheckpointVerifier.verify(http.get("/log/checkpoint").body(), logKey);
        }, c -> c.size() > decision.logIndex(), "a checkpoint covering the decision's log index " + decision.logIndex());
        List<byte[]> proof = new ArrayList<>();
        http.get("/v1/log/inclusion?index=" + decision.logIndex() + "&size=" + cp.size()).json().getJsonArray("hashes")
                .forEach(h -> proof.add(Base64.getDecoder().decode((String) h)));
        byte[] entry = LogEntries.decision(PackageName.parse("alpha/langid"), "1.0.0", v1.digest(), "promoted", envelope);
        InclusionProof.verify(MerkleHash.leafHash(entry), decision.logIndex(), cp.size(), cp.rootHash(), proof);
        // ... and the version document carries the same kind of proof for its decision
        JsonObject proven = http.get("/v1/packages/alpha/langid/versions/1.0.0").json().getJsonObject("release")
                .getJsonObject("decision").getJsonObject("log");
        Checkpoint served1 = CheckpointVerifier.verify(proven.getString("checkpoint"), logKey);
        List<byte[]> servedProof = new ArrayList<>();
        proven.getJsonArray("inclusion").forEach(h -> servedProof.add(Base64.getDecoder().decode((String) h)));
        InclusionProof.verify(MerkleHash.leafHash(entry), proven.getLong("index"), served1.size(), served1.rootHash(),
                servedProof);

        // latest resolves to the promoted version, although 1.1.0 is newer
        assertThat(http.get("/v1/packages/alpha/langid/versions/latest").json().getString("version")).isEqualTo("1.0.0");
        assertThat(http.get("/v1/packages/alpha/langid").json().getString("latest")).isEqualTo("1.0.0");
        JsonObject hit = http.get("/v1/search?q=langid&status=promoted").json().getJsonArray("results").stream()
                .map(JsonObject.class::cast).filter(r -> r.getString("name").equals("alpha/langid")).findFirst().orElseThrow();
        assertThat(hit.getString("status")).isEqualTo("promoted");
        assertThat(hit.getString("version")).isEqualTo("1.0.0");
        assertThat(v11.version()).isEqualTo("1.1.0");

        // evaluated again: nothing changes, no second decision
        assertThat(TestNode.await(evaluator.evaluate(v1.digest().toString()))).isEmpty();
        assertThat(TestNode.await(evaluator.evaluateAll()).stream().filter(d -> d.digest().equals(v1.digest().toString())))
                .isEmpty();
        assertThat(decisions(v1.digest())).isEqualTo(1);
        assertThat(http.get("/metrics").body()).containsPattern("grove_release_decisions_total\\{status=\"promoted\"[^}]*\\} [1-9]");
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("too-few", 10, 12, UnaryOperator.<TestPackage.Builder>identity(), "benefit",
                        "benefit: 12 reports, need 20"),
                Arguments.of("negative", 8, 40, UnaryOperator.<TestPackage.Builder>identity(), "benefit",
                        "benefit: reported net help"),
                Arguments.of("closed", 32, 40, (UnaryOperator<TestPackage.Builder>) b -> b.license("LicenseRef-Proprietary"),
                        "autonomy", "autonomy: score 2 of 3, need 3 (license LicenseRef-Proprietary is not an open license)"),
                Arguments.of("bigger", 32, 40, (UnaryOperator<TestPackage.Builder>) b -> b.weights(new byte[4096]),
                        "efficiency", "efficiency: 4096 bytes against 1024"),
                Arguments.of("forgetful", 32, 40, (UnaryOperator<TestPackage.Builder>) b -> b.accuracy(0.853, 600),
                        "retention", "retention: accuracy on test-heldout dropped 0.047 > bound 0.02"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void aVersionFailingAConditionStaysAnExperimentWithTheReasonShown(String label, int yes, int n,
            UnaryOperator<TestPackage.Builder> change, String missing, String reason) {
        TestPackage parent = publish(TestPackage.builder("fail/" + label, "1.0.0").weights(new byte[1024])
                .accuracy(0.9, 600));
        TestPackage child = publish(change.apply(TestPackage.builder("fail/" + label + "-small", "1.0.0")
                .weights(new byte[256]).accuracy(0.9, 600)
                .parent("distill", parent.digest(), "fail/" + label + "@1.0.0")));
        reports(child, yes, n, 0);

        assertThat(TestNode.await(evaluator.evaluate(child.digest().toString()))).isEmpty();

        JsonObject doc = http.get("/v1/packages/fail/" + label + "-small/versions/1.0.0").json();
        assertThat(doc.getString("status")).isEqualTo("experiment");
        JsonObject release = doc.getJsonObject("release");
        assertThat(release.getBoolean("evaluated")).isTrue();
        assertThat(release.getJsonArray("missing").getList()).containsExactly(missing);
        String shown = condition(release.getJsonArray("conditions"), missing).getString("reason");
        assertThat(shown).startsWith(reason);
        assertThat(release.containsKey("decision")).isFalse();
        assertThat(decisions(child.digest())).isZero();

        // grove info tells the team the same
        GroveCli.Result info = GroveCli.run("info", "fail/" + label + "-small@1.0.0", "--registry",
                "http://127.0.0.1:" + node.port());
        assertThat(info.exitCode()).as(info.toString()).isZero();
        assertThat(info.out()).contains("status     experiment").contains("release    missing: " + missing)
                // the condition's name once, then the node's reason without the name repeated
                .containsPattern("no +" + missing + " +" + java.util.regex.Pattern.quote(
                        shown.startsWith(missing + ": ") ? shown.substring(missing.length() + 2) : shown))
                .doesNotContainPattern(missing + " +" + missing + ":");

        // the release route explains the same, with the evidence as numbers
        JsonObject explained = http.get("/v1/packages/fail/" + label + "-small/versions/1.0.0/release").json();
        assertThat(explained.getString("status")).isEqualTo("experiment");
        assertThat(condition(explained.getJsonObject("evaluation").getJsonArray("conditions"), missing)
                .getString("reason")).isEqualTo(shown);
        JsonObject evidence = explained.getJsonObject("evaluation").getJsonObject("evidence");
        assertThat(evidence.getJsonObject("baseline").getString("relation")).isEqualTo("parent");
        assertThat(evidence.getJsonObject("baseline").getString("digest")).isEqualTo(parent.digest().toString());
        assertThat(evidence.getJsonObject("resources").getJsonObject("baseline").getLong("bytes")).isEqualTo(1024);
        assertThat(evidence.getJsonObject("reports").getLong("count")).isEqualTo(n);
        assertThat(evidence.getJsonArray("evaluations")).hasSize(1);
    }

    @Test
    void aPromotedVersionIsDemotedWhenTheEvidenceTurns() {
        TestPackage parent = publish(TestPackage.builder("turn/base", "1.0.0").weights(new byte[1024]).accuracy(0.9, 600));
        TestPackage child = publish(TestPackage.builder("turn/small", "1.0.0").weights(new byte[256]).accuracy(0.9, 600)
                .parent("distill", parent.digest(), "turn/base@1.0.0"));
        reports(child, 32, 40, 0);
        assertThat(TestNode.await(evaluator.evaluate(child.digest().toString())).orElseThrow().status())
                .isEqualTo(Status.PROMOTED);

        reports(child, 30, 160, 0);   // now 62 yes of 200: a true share of about 0.12
        Decision demotion = TestNode.await(evaluator.evaluate(child.digest().toString())).orElseThrow();
        assertThat(demotion.previous()).isEqualTo(Status.PROMOTED);
        assertThat(demotion.status()).isEqualTo(Status.EXPERIMENT);
        assertThat(demotion.sequence()).isEqualTo(2);

        JsonObject release = http.get("/v1/packages/turn/small/versions/1.0.0").json().getJsonObject("release");
        assertThat(release.getString("status")).isEqualTo("experiment");
        assertThat(release.getJsonArray("missing").getList()).containsExactly("benefit");
        assertThat(release.getJsonObject("decision").getLong("sequence")).isEqualTo(2);
        assertThat(release.getJsonObject("decision").getLong("logIndex")).isEqualTo(demotion.logIndex());
        assertThat(decisions(child.digest())).isEqualTo(2);
    }

    @Test
    void aPromotedVersionItsNamespaceYanksIsDemotedByASignedDecision() {
        TestPackage v = publish(TestPackage.builder("withdrawn/langid", "1.0.0"));
        reports(v, 32, 40, 0);
        assertThat(TestNode.await(evaluator.evaluate(v.digest().toString())).orElseThrow().status())
                .isEqualTo(Status.PROMOTED);

        byte[] statement = ("{\"schema\":\"grove.yank/v2\",\"name\":\"withdrawn/langid\",\"version\":\"1.0.0\","
                + "\"digest\":\"" + v.digest() + "\",\"reason\":\"trained on data we may not use\"}")
                .getBytes(StandardCharsets.UTF_8);
        Envelope yank = EnvelopeSigner.sign(PayloadTypes.YANK, statement, KEY);
        assertThat(http.post("/v1/packages/withdrawn/langid/versions/1.0.0/yank", yank.toJsonString()).status())
                .isEqualTo(200);
        List<Decision> round = TestNode.await(evaluator.evaluateAll()).stream()
                .filter(d -> d.digest().equals(v.digest().toString())).toList();
        assertThat(round).hasSize(1);
        Decision demotion = round.get(0);
        assertThat(demotion.previous()).isEqualTo(Status.PROMOTED);
        assertThat(demotion.status()).isEqualTo(Status.EXPERIMENT);
        assertThat(demotion.sequence()).isEqualTo(2);

        JsonObject doc = http.get("/v1/packages/withdrawn/langid/versions/1.0.0").json();
        assertThat(doc.getBoolean("yanked")).isTrue();
        assertThat(doc.getString("status")).isEqualTo("experiment");
        JsonObject release = doc.getJsonObject("release");
        assertThat(release.getJsonArray("missing").getList()).containsExactly("standing");
        assertThat(condition(release.getJsonArray("conditions"), "standing").getString("reason"))
                .isEqualTo("standing: yanked by its namespace (trained on data we may not use)");
        assertThat(condition(release.getJsonArray("conditions"), "benefit").getBoolean("met")).as("the evidence held")
                .isTrue();
        JsonObject payload = new JsonObject(new String(Envelope.parse(release.getJsonObject("decision")
                .getJsonObject("envelope").encode()).payload(), StandardCharsets.UTF_8));
        assertThat(payload.getString("status")).isEqualTo("experiment");
        assertThat(payload.getJsonArray("conditions").stream().map(c -> ((JsonObject) c).getString("name")).toList())
                .containsExactly("benefit", "autonomy", "efficiency", "retention", "standing");

        // withdrawn for good: later rounds leave it alone, and the release route says why
        assertThat(TestNode.await(evaluator.evaluateAll()).stream()
                .filter(d -> d.digest().equals(v.digest().toString()))).isEmpty();
        assertThat(decisions(v.digest())).isEqualTo(2);
        assertThat(http.get("/v1/packages/withdrawn/langid/versions/1.0.0/release").json().getJsonObject("evaluation")
                .getJsonArray("missing").getList()).containsExactly("standing");
    }

    @Test
    void concurrentEvaluatorsMakeOneDecision() {
        TestPackage v = publish(TestPackage.builder("race/langid", "1.0.0"));
        reports(v, 32, 40, 0);
        List<ReleaseEvaluator> evaluators = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            NodeServices services = node.services();
            evaluators.add(Release.open(services, NodeLog.open(services), node.config().release(), node.config().reports().minimumReports()).evaluator());
        }
        List<Future<Optional<Decision>>> runs = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (ReleaseEvaluator e : evaluators) {
                runs.add(e.evaluate(v.digest().toString()));
            }
        }
        TestNode.await(Future.join(runs));
        assertThat(runs.stream().filter(f -> f.result().isPresent()).count()).isEqualTo(1);
        assertThat(decisions(v.digest())).isEqualTo(1);
        long entries = TestNode.await(node.pool().preparedQuery("""
                SELECT count(*) FROM log_entries WHERE convert_from(data, 'UTF8') LIKE '{"kind":"decision/v1"%'
                   AND convert_from(data, 'UTF8') LIKE '%' || $1 || '%'""").execute(Tuple.of(v.digest().toString())))
                .iterator().next().getLong(0);
        assertThat(entries).isEqualTo(1);

        // whole rounds at once: one evaluator runs, the others skip, and the change is still recorded once
        TestPackage w = publish(TestPackage.builder("race/other", "1.0.0"));
        reports(w, 32, 40, 0);
        List<Future<List<Decision>>> rounds = new ArrayList<>();
        for (ReleaseEvaluator e : evaluators) {
            rounds.add(e.evaluateAll());
        }
        TestNode.await(Future.join(rounds));
        assertThat(rounds.stream().flatMap(f -> f.result().stream()).filter(d -> d.digest().equals(w.digest().toString())))
                .hasSize(1);
        assertThat(decisions(w.digest())).isEqualTo(1);
    }

    @Test
    void theReleaseRouteNamesWhatIsMissing() {
        TestPackage v = publish(TestPackage.builder("fresh/langid", "1.0.0"));
        JsonObject doc = http.get("/v1/packages/fresh/langid/versions/1.0.0").json();
        assertThat(doc.getString("status")).isEqualTo("experiment");
        assertThat(doc.getJsonObject("release").getBoolean("evaluated")).isFalse();
        JsonObject explained = http.get("/v1/packages/fresh/langid/versions/1.0.0/release").json();
        assertThat(explained.getString("digest")).isEqualTo(v.digest().toString());
        assertThat(explained.getJsonObject("evaluation").getJsonArray("missing").getList()).containsExactly("benefit");
        assertThat(explained.getJsonObject("evaluation").getJsonObject("policy").getLong("minReports")).isEqualTo(20);
        assertThat(explained.getJsonObject("evaluation").getJsonObject("evidence").getJsonObject("baseline")
                .getString("relation")).isEqualTo("none");
        assertThat(http.get("/v1/packages/fresh/langid/versions/9.9.9/release").status()).isEqualTo(404);
        assertThat(http.get("/v1/packages/fresh/langid/versions/latest/release").status()).isEqualTo(400);
    }

    private static JsonObject condition(JsonArray conditions, String name) {
        return conditions.stream().map(JsonObject.class::cast).filter(c -> c.getString("name").equals(name))
                .findFirst().orElseThrow();
    }

    private static TestPackage publish(TestPackage.Builder builder) {
        TestPackage pkg = builder.build(KEY);
        NodeHttp.Reply reply = http.publish(pkg);
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return pkg;
    }

    /**
     * Stores {@code n} reports on {@code pkg}, {@code yes} of them with a randomized "helped" of yes, received over ten
     * days, as the reports endpoint would store them.
     */
    static void reports(TestPackage pkg, int yes, int n, int latencyMs) {
        List<Tuple> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(Tuple.of(pkg.digest().toString(), i < yes, latencyMs > 0 ? latencyMs : null,
                    LocalDate.of(2026, 11, 1 + i % 10)));
        }
        TestNode.await(node.pool().preparedQuery("""
                INSERT INTO reports (package_digest, helped, latency_ms, runtime, device_class, received_day)
                VALUES ($1, $2, $3, 'wasm', 'desktop', $4)""").executeBatch(rows));
    }

    private static long decisions(Sha256 digest) {
        return TestNode.await(node.pool().preparedQuery("SELECT count(*) FROM release_decisions WHERE package_digest = $1")
                .execute(Tuple.of(digest.toString()))).iterator().next().getLong(0);
    }
}
