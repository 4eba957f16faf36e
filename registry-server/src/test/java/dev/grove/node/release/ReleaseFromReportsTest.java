package dev.grove.node.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.blind.Base64Url;
import dev.grove.blind.BlindRsaPublicKey;
import dev.grove.blind.BlindSignatureException;
import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.crypto.Ed25519PublicKey;
import dev.grove.dsse.Envelope;
import dev.grove.dsse.EnvelopeVerifier;
import dev.grove.node.Features;
import dev.grove.node.Node;
import dev.grove.node.feature.NodeServices;
import dev.grove.node.health.NodeMetrics;
import dev.grove.node.log.NodeLog;
import dev.grove.node.reports.ReportSettings;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.TestNode;
import dev.grove.node.testing.TestPackage;
import dev.grove.note.NoteVerifier;
import dev.grove.reports.ReportToken;
import dev.grove.reports.ReportTokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end through the reports API: reports sent the way a browser sends them (a blind-signed token each, the
 * randomized answer) reach the release rule, and the signed decision cites the same aggregate the node publishes under
 * {@code GET /v1/reports/{digest}}.
 */
class ReleaseFromReportsTest {

    @TempDir
    static Path data;
    static Vertx vertx;
    static Node node;
    static NodeHttp http;
    static ReleaseEvaluator evaluator;
    static final SecureRandom RANDOM = new SecureRandom();

    @BeforeAll
    static void start() {
        vertx = NodeMetrics.createVertx();
        node = TestNode.start(vertx, TestNode.config(data)
                .withRelease(ReleasePolicy.defaults().withInterval(Duration.ofHours(1)))
                .withReports(ReportSettings.defaults().withTokenLimit(100, 100)), Features::all);
        http = new NodeHttp(node.port());
        NodeServices services = node.services();
        evaluator = Release.open(services, NodeLog.open(services), node.config().release(), node.config().reports().minimumReports()).evaluator();
    }

    @AfterAll
    static void stop() {
        TestNode.stop(node, vertx);
    }

    @Test
    void reportsSentThroughTheApiPromoteAndTheDecisionCitesTheirAggregate() throws Exception {
        TestPackage pkg = TestPackage.builder("sent/langid", "1.0.0").build(Ed25519PrivateKey.generate());
        assertThat(http.publish(pkg).status()).isEqualTo(201);
        JsonObject issuer = http.get("/v1/reports/issuer").json();
        BlindRsaPublicKey key = BlindRsaPublicKey.fromBytes(Base64Url.decode(issuer.getString("n")),
                Base64Url.decode(issuer.getString("e")));

        // 19 reports: one short of the minimum, so the rule names it and nothing is decided
        for (int i = 0; i < 19; i++) {
            assertThat(send(key, pkg, true).status()).isEqualTo(202);
        }
        assertThat(TestNode.await(evaluator.evaluate(pkg.digest().toString()))).isEmpty();
        JsonObject release = http.get("/v1/packages/sent/langid/versions/1.0.0").json().getJsonObject("release");
        assertThat(release.getJsonArray("missing").getList()).containsExactly("benefit");
        assertThat(release.getJsonArray("conditions").getJsonObject(0).getString("reason"))
                .isEqualTo("benefit: 19 reports, need 20");

        // five more, three of them randomized to yes: 22 of 24
        for (int i = 0; i < 5; i++) {
            assertThat(send(key, pkg, i < 3).status()).isEqualTo(202);
        }
        Decision decision = TestNode.await(evaluator.evaluate(pkg.digest().toString())).orElseThrow();
        assertThat(decision.status()).isEqualTo(Status.PROMOTED);

        Ed25519PublicKey nodeKey = NoteVerifier.parse(http.get("/.well-known/grove/log-key").body().trim()).publicKey();
        Envelope envelope = Envelope.parse(http.get("/v1/packages/sent/langid/versions/1.0.0").json()
                .getJsonObject("release").getJsonObject("decision").getJsonObject("envelope").encode());
        JsonObject cited = new JsonObject(new String(EnvelopeVerifier.verify(envelope, Map.of(nodeKey.keyId(), nodeKey),
                Decision.PAYLOAD_TYPE).payload(), StandardCharsets.UTF_8)).getJsonObject("evidence").getJsonObject("reports");
        assertThat(cited.getLong("count")).isEqualTo(24);
        assertThat(cited.getLong("helpedYes")).isEqualTo(22);
        assertThat(cited.getLong("latencyCount")).isEqualTo(24);
        assertThat(cited.getDouble("latencyMedianMs")).isEqualTo(37.0);

        JsonObject published = http.get("/v1/reports/" + pkg.digest()).json();
        assertThat(published.getLong("count")).isEqualTo(24);
        JsonObject helped = published.getJsonObject("helped");
        assertThat(cited.getJsonObject("helped").getDouble("value")).isCloseTo(helped.getDouble("estimate"),
                org.assertj.core.data.Offset.offset(1e-4));
        assertThat(cited.getJsonObject("helped").getDouble("low")).isCloseTo(helped.getDouble("low"),
                org.assertj.core.data.Offset.offset(1e-4));
        assertThat(http.get("/v1/packages/sent/langid/versions/latest").json().getString("status")).isEqualTo("promoted");
    }

    /** One report with its own token, as a browser sends it: {@code helped} is the answer after randomizing. */
    private static NodeHttp.Reply send(BlindRsaPublicKey issuer, TestPackage pkg, boolean helped)
            throws BlindSignatureException {
        ReportTokens.Request request = ReportTokens.request(issuer, RANDOM::nextBytes);
        NodeHttp.Reply signed = http.post("/v1/reports/tokens", new JsonObject()
                .put("blindedMessage", Base64Url.encode(request.blindedMessage())).encode());
        assertThat(signed.status()).as(signed.body()).isEqualTo(200);
        ReportToken token = request.finish(Base64Url.decode(signed.json().getString("blindSignature")));
        return http.post("/v1/reports", new JsonObject()
                .put("token", new JsonObject().put("keyId", token.keyId()).put("message", token.messageBase64Url())
                        .put("signature", token.signatureBase64Url()))
                .put("package", pkg.digest().toString()).put("helped", helped).put("rating", 4).put("latencyMs", 37)
                .put("runtime", "wasm").put("device", "desktop").encode());
    }
}
