package dev.grove.node.packages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.dsse.Envelope;
import dev.grove.dsse.EnvelopeSigner;
import dev.grove.node.Features;
import dev.grove.node.Node;
import dev.grove.node.NodeConfig;
import dev.grove.node.health.NodeMetrics;
import dev.grove.node.release.ReleasePolicy;
import dev.grove.node.testing.Eventually;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.TestNode;
import dev.grove.node.testing.TestPackage;
import dev.grove.pkg.PayloadTypes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node serves a version document again as last rendered only while nothing it shows has changed, whichever process
 * made the change: two nodes share one database and data directory (as behind a load balancer), and every write made
 * through one, or straight into the database, shows at once in the other's documents.
 */
class RenderedDocumentsTest {

    @TempDir
    static Path data;

    static Vertx vertxA;
    static Vertx vertxB;
    static Node a;
    static Node b;
    static NodeHttp httpA;
    static NodeHttp httpB;
    static final Ed25519PrivateKey KEY = Ed25519PrivateKey.generate();

    @BeforeAll
    static void start() {
        vertxA = NodeMetrics.createVertx();
        vertxB = NodeMetrics.createVertx();
        // no release round during the test: its writes would move the counter the first test watches
        NodeConfig config = TestNode.config(data).withRelease(ReleasePolicy.defaults().withInterval(Duration.ofHours(1)));
        a = TestNode.start(vertxA, config, Features::all);
        String url = "http://127.0.0.1:" + a.port();
        b = TestNode.start(vertxB, config.withPublicUrl(url), Features::all);
        httpA = new NodeHttp(a.port());
        httpB = new NodeHttp(b.port());
    }

    @AfterAll
    static void stop() {
        if (b != null) {
            TestNode.stop(b, vertxB);
        }
        if (a != null) {
            TestNode.stop(a, vertxA);
        }
    }

    @Test
    void reusedWhileNothingChanges() throws Exception {
        assertThat(httpA.publish(TestPackage.builder("hotel/same", "1.0.0").build(KEY)).status()).isEqualTo(201);
        String path = "/v1/packages/hotel/same/versions/1.0.0";
        awaitProof(httpA, path);
        String first = httpA.get(path).body();
        double reusedBefore = counter(httpA, "reused");
        double renderedBefore = counter(httpA, "rendered");
        for (int i = 0; i < 20; i++) {
            assertThat(httpA.get(path).body()).isEqualTo(first);
        }
        // nothing writes meanwhile (a stray background write would cost one render, hence the slack)
        assertThat(counter(httpA, "reused") - reusedBefore).isGreaterThanOrEqualTo(18);
        assertThat(counter(httpA, "rendered") - renderedBefore).isLessThanOrEqualTo(2);
    }

    @Test
    void aYankThroughTheOtherNodeShowsAtOnce() throws Exception {
        assertThat(httpA.publish(TestPackage.builder("india/model", "1.0.0").build(KEY)).status()).isEqualTo(201);
        assertThat(httpA.publish(TestPackage.builder("india/model", "1.0.1").build(KEY)).status()).isEqualTo(201);
        awaitProof(httpA, "/v1/packages/india/model/versions/1.0.1");
        for (int i = 0; i < 3; i++) { // rendered, then reused
            assertThat(httpA.get("/v1/packages/india/model/versions/latest").json().getString("version"))
                    .isEqualTo("1.0.1");
            assertThat(httpA.get("/v1/packages/india/model/versions/1.0.1").json().getBoolean("yanked")).isFalse();
            assertThat(httpA.get("/v1/packages/india/model").json().getString("latest")).isEqualTo("1.0.1");
        }
        String digest = httpA.get("/v1/packages/india/model/versions/1.0.1").json().getString("digest");
        assertThat(httpA.get("/v1/digests/" + digest).json().getBoolean("yanked")).isFalse();

        byte[] statement = ("{\"schema\":\"grove.yank/v2\",\"name\":\"india/model\",\"version\":\"1.0.1\","
                + "\"digest\":\"" + digest + "\",\"reason\":\"wrong labels\"}").getBytes(StandardCharsets.UTF_8);
        Envelope yank = EnvelopeSigner.sign(PayloadTypes.YANK, statement, KEY);
        assertThat(httpB.post("/v1/packages/india/model/versions/1.0.1/yank", yank.toJsonString()).status())
                .isEqualTo(200);

        JsonObject doc = httpA.get("/v1/packages/india/model/versions/1.0.1").json();
        assertThat(doc.getBoolean("yanked")).isTrue();
        assertThat(doc.getString("yankReason")).isEqualTo("wrong labels");
        assertThat(httpA.get("/v1/digests/" + digest).json().getBoolean("yanked")).isTrue();
        assertThat(httpA.get("/v1/packages/india/model/versions/latest").json().getString("version"))
                .isEqualTo("1.0.0");
        assertThat(httpA.get("/v1/packages/india/model").json().getString("latest")).isEqualTo("1.0.0");
    }

    @Test
    void aPublishThroughTheOtherNodeMovesLatestAndGetsItsProof() throws Exception {
        assertThat(httpA.publish(TestPackage.builder("juliet/model", "1.0.0").build(KEY)).status()).isEqualTo(201);
        awaitProof(httpA, "/v1/packages/juliet/model/versions/1.0.0");
        assertThat(httpA.get("/v1/packages/juliet/model/versions/latest").json().getString("version"))
                .isEqualTo("1.0.0");

        assertThat(httpB.publish(TestPackage.builder("juliet/model", "1.1.0").build(KEY)).status()).isEqualTo(201);
        assertThat(httpA.get("/v1/packages/juliet/model/versions/latest").json().getString("version"))
                .isEqualTo("1.1.0");
        // most likely read before the entry was in a checkpoint: the checkpoint made later must still reach it
        httpA.get("/v1/packages/juliet/model/versions/1.1.0");
        awaitProof(httpA, "/v1/packages/juliet/model/versions/1.1.0");
    }

    @Test
    void aWriteStraightIntoTheDatabaseShowsToo() throws Exception {
        assertThat(httpA.publish(TestPackage.builder("kilo/model", "1.0.0").build(KEY)).status()).isEqualTo(201);
        String path = "/v1/packages/kilo/model/versions/1.0.0";
        awaitProof(httpA, path);
        assertThat(httpA.get(path).json().getString("status")).isEqualTo("experiment");
        assertThat(httpA.get(path).json().getString("status")).isEqualTo("experiment");
        TestNode.await(b.pool().query(
                "UPDATE package_versions SET status = 'promoted' WHERE namespace = 'kilo' AND name = 'model'").execute());
        assertThat(httpA.get(path).json().getString("status")).isEqualTo("promoted");
    }

    /** Polls until the version document carries an inclusion proof against a signed checkpoint. */
    static void awaitProof(NodeHttp http, String path) {
        Eventually.await(Eventually.PATIENCE,
                () -> http.get(path).json().getJsonObject("log").containsKey("checkpoint"), "a checkpoint covers " + path);
    }

    /** {@code grove_version_documents_total{result=...}} from the node's /metrics. */
    static double counter(NodeHttp http, String result) {
        Matcher m = Pattern.compile("(?m)^grove_version_documents_total\\{[^}]*result=\"" + result
                + "\"[^}]*} ([0-9.eE+-]+)$").matcher(http.get("/metrics").body());
        assertThat(m.find()).as("the counter of " + result + " documents").isTrue();
        return Double.parseDouble(m.group(1));
    }
}
