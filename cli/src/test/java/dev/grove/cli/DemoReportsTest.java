package dev.grove.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.crypto.Ed25519PublicKey;
import dev.grove.dsse.Envelope;
import dev.grove.dsse.EnvelopeVerifier;
import dev.grove.node.Features;
import dev.grove.node.Node;
import dev.grove.node.health.NodeMetrics;
import dev.grove.node.release.Decision;
import dev.grove.node.release.ReleasePolicy;
import dev.grove.node.reports.ReportSettings;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.TestNode;
import dev.grove.note.NoteVerifier;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code grove serve --demo} on a real node (embedded PostgreSQL): the garden published as the demo does, then the
 * demo's reports sent through the report API, leave one version promoted, one demoted and one collecting, each change
 * a decision signed by the node's log key, and the node labels the reports as the demo's in its API and in
 * {@code grove info}.
 */
class DemoReportsTest {

    static final int MINIMUM = 20;

    @TempDir
    static Path data;
    static Vertx vertx;
    static Node node;
    static NodeHttp http;
    static String registry;
    static Map<String, String> done;
    static final StringWriter LOG = new StringWriter();

    @BeforeAll
    static void start() throws Exception {
        vertx = NodeMetrics.createVertx();
        // what grove serve --demo configures: the default minimum, and a token burst the demo's reports fit in
        node = TestNode.start(vertx, TestNode.config(data)
                .withRelease(ReleasePolicy.defaults().withInterval(Duration.ofHours(1)))
                .withReports(ReportSettings.defaults().withMinimumReports(MINIMUM)
                        .withTokenLimit(DemoReports.tokens(MINIMUM), 60)), Features::all);
        http = new NodeHttp(node.port());
        registry = "http://127.0.0.1:" + node.port();
        PrintWriter out = new PrintWriter(LOG, true);
        assertThat(DemoPackages.publish(data, registry, out)).as(LOG.toString()).isZero();
        done = DemoReports.seed(vertx, node, out);
        System.out.println(LOG);
    }

    @AfterAll
    static void stop() {
        TestNode.stop(node, vertx);
    }

    @Test
    void oneVersionIsPromotedOneDemotedAndOneCollectingEachChangeSignedAndLabelled() throws Exception {
        assertThat(done).as(LOG.toString()).containsKeys("promoted", "demoted", "collecting");
        Ed25519PublicKey nodeKey = NoteVerifier.parse(http.get("/.well-known/grove/log-key").body().trim()).publicKey();

        JsonObject promoted = version(done.get("promoted"));
        assertThat(promoted.getString("status")).isEqualTo("promoted");
        JsonObject decision = promoted.getJsonObject("release").getJsonObject("decision");
        assertThat(decision.getString("status")).isEqualTo("promoted");
        JsonObject payload = verified(decision, nodeKey);
        assertThat(payload.getString("previous")).isEqualTo("experiment");
        long cited = payload.getJsonObject("evidence").getJsonObject("reports").getLong("count");
        assertThat(cited).isGreaterThanOrEqualTo(MINIMUM);
        assertThat(promoted.getJsonObject("release").getInteger("demoReports")).isEqualTo((int) cited);

        JsonObject demoted = version(done.get("demoted"));
        assertThat(demoted.getString("status")).isEqualTo("experiment");
        JsonObject demotion = demoted.getJsonObject("release").getJsonObject("decision");
        assertThat(demotion.getLong("sequence")).isEqualTo(2);
        JsonObject demotionPayload = verified(demotion, nodeKey);
        assertThat(demotionPayload.getString("previous")).isEqualTo("promoted");
        assertThat(demotionPayload.getString("status")).isEqualTo("experiment");
        assertThat(demoted.getJsonObject("release").getJsonArray("missing").getList()).contains("benefit");
        assertThat(demoted.getJsonObject("release").getInteger("demoReports")).isEqualTo(
                demotionPayload.getJsonObject("evidence").getJsonObject("reports").getLong("count").intValue());

        JsonObject collecting = version(done.get("collecting"));
        assertThat(collecting.getString("status")).isEqualTo("experiment");
        JsonObject release = collecting.getJsonObject("release");
        assertThat(release.getJsonObject("decision")).isNull();
        assertThat(release.getInteger("demoReports")).isEqualTo(MINIMUM / 2);
        assertThat(release.getJsonArray("conditions").getJsonObject(0).getString("reason"))
                .isEqualTo("benefit: " + MINIMUM / 2 + " reports, need " + MINIMUM);
        // the privacy minimum holds for the demo's reports too: below it, the count and nothing else
        JsonObject summary = http.get("/v1/reports/" + collecting.getString("digest")).json();
        assertThat(summary.getBoolean("shown")).isFalse();
        assertThat(summary.containsKey("helped")).isFalse();

        GroveCli.Result info = GroveCli.run("info", done.get("promoted"), "--registry", registry);
        assertThat(info.exitCode()).as(info.toString()).isZero();
        assertThat(info.out()).contains("demo       " + cited + " of its reports were sent by grove serve --demo,"
                + " not by visitors");
    }

    @Test
    void aRestartSendsNothingAgainAndAClientCannotLabelItsReport() throws Exception {
        assertThat(DemoReports.seed(vertx, node, new PrintWriter(new StringWriter(), true))).isEmpty();
        // a report carries only the protocol's fields: there is no field by which a client could claim the label
        NodeHttp.Reply refused = http.post("/v1/reports", new JsonObject().put("demo", true).encode());
        assertThat(refused.status()).isEqualTo(400);
    }

    private static JsonObject version(String ref) {
        String[] parts = ref.split("@");
        return http.get("/v1/packages/" + parts[0] + "/versions/" + parts[1]).json();
    }

    private static JsonObject verified(JsonObject decision, Ed25519PublicKey key) throws Exception {
        Envelope envelope = Envelope.parse(decision.getJsonObject("envelope").encode());
        return new JsonObject(new String(EnvelopeVerifier.verify(envelope, Map.of(key.keyId(), key),
                Decision.PAYLOAD_TYPE).payload(), StandardCharsets.UTF_8));
    }
}
