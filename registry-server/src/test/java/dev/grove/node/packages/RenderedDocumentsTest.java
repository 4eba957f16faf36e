package dev.grove.node.packages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.dsse.Envelope;
import dev.grove.dsse.EnvelopeSigner;
import dev.grove.node.Features;
import dev.grove.node.Node;
import dev.grove.node.NodeConfig;
import dev.grove.node.feature.NodeServices;
import dev.grove.node.health.NodeMetrics;
import dev.grove.node.release.ReleasePolicy;
import dev.grove.node.testing.Eventually;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.TcpProxy;
import dev.grove.node.testing.TestNode;
import dev.grove.node.testing.TestPackage;
import dev.grove.pkg.PayloadTypes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Tuple;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node serves a version document again as last rendered only while nothing it shows has changed, whichever process
 * made the change: two nodes share one database and data directory (as behind a load balancer). A write made through
 * one node shows at once in that node's next read, and in the other's as soon as the database's notification reaches
 * it; a write straight into the database shows once notified. While a node cannot listen (its listening connection
 * cut or its backend terminated) its reads ask the database and are exact at once, and it listens again when it can.
 * Node A's listening connection goes through a proxy the tests can cut; A's pool, and node B, reach the database
 * directly.
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
    static TcpProxy listenerProxy;
    static final Ed25519PrivateKey KEY = Ed25519PrivateKey.generate();

    @BeforeAll
    static void start() {
        vertxA = NodeMetrics.createVertx();
        vertxB = NodeMetrics.createVertx();
        // no release round during the test: its writes would move the counter the first test watches
        NodeConfig config = TestNode.config(data).withRelease(ReleasePolicy.defaults().withInterval(Duration.ofHours(1)));
        PgConnectOptions db = PgConnectOptions.fromUri(config.pgUrl().orElseThrow());
        listenerProxy = TcpProxy.to(db.getHost(), db.getPort());
        a = TestNode.start(vertxA, config, (c, services) -> Features.all(c, new NodeServices(services.vertx(),
                services.pool(), services.blobs(), services.publicUrl(), services.dataDir(), services.meters(),
                new PgConnectOptions(services.database()).setHost("127.0.0.1").setPort(listenerProxy.port()))));
        String url = "http://127.0.0.1:" + a.port();
        b = TestNode.start(vertxB, config.withPublicUrl(url), Features::all);
        httpA = new NodeHttp(a.port());
        httpB = new NodeHttp(b.port());
        awaitListening(httpA);
        awaitListening(httpB);
    }

    @AfterAll
    static void stop() {
        if (b != null) {
            TestNode.stop(b, vertxB);
        }
        if (a != null) {
            TestNode.stop(a, vertxA);
        }
        if (listenerProxy != null) {
            listenerProxy.close();
        }
    }

    @Test
    void reusedWhileNothingChanges() throws Exception {
        assertThat(httpA.publish(TestPackage.builder("hotel/same", "1.0.0").build(KEY)).status()).isEqualTo(201);
        String path = "/v1/packages/hotel/same/versions/1.0.0";
        awaitProof(httpA, path);
        awaitListening(httpA);
        String first = httpA.get(path).body();
        double reusedBefore = counter(httpA, "reused");
        double renderedBefore = counter(httpA, "rendered");
        double queriedBefore = generations(httpA, "queried");
        double notifiedBefore = generations(httpA, "notified");
        for (int i = 0; i < 20; i++) {
            assertThat(httpA.get(path).body()).isEqualTo(first);
        }
        // nothing writes meanwhile (a stray background write would cost one render, hence the slack)
        assertThat(counter(httpA, "reused") - reusedBefore).isGreaterThanOrEqualTo(18);
        assertThat(counter(httpA, "rendered") - renderedBefore).isLessThanOrEqualTo(2);
        // and no read asked the database for the count: it came from the notifications
        assertThat(generations(httpA, "notified") - notifiedBefore).isEqualTo(20);
        assertThat(generations(httpA, "queried") - queriedBefore).isZero();
    }

    @Test
    void aYankShowsAtOnceThroughTheYankingNodeAndInTheOtherOnceNotified() throws Exception {
        assertThat(httpA.publish(TestPackage.builder("india/model", "1.0.0").build(KEY)).status()).isEqualTo(201);
        assertThat(httpA.publish(TestPackage.builder("india/model", "1.0.1").build(KEY)).status()).isEqualTo(201);
        awaitProof(httpA, "/v1/packages/india/model/versions/1.0.1");
        awaitListening(httpB);
        for (int i = 0; i < 3; i++) { // rendered, then reused, on both nodes
            for (NodeHttp http : new NodeHttp[] {httpA, httpB}) {
                assertThat(http.get("/v1/packages/india/model/versions/latest").json().getString("version"))
                        .isEqualTo("1.0.1");
                assertThat(http.get("/v1/packages/india/model/versions/1.0.1").json().getBoolean("yanked")).isFalse();
                assertThat(http.get("/v1/packages/india/model").json().getString("latest")).isEqualTo("1.0.1");
            }
        }
        String digest = httpA.get("/v1/packages/india/model/versions/1.0.1").json().getString("digest");
        assertThat(httpA.get("/v1/digests/" + digest).json().getBoolean("yanked")).isFalse();
        assertThat(httpB.get("/v1/digests/" + digest).json().getBoolean("yanked")).isFalse();

        byte[] statement = ("{\"schema\":\"grove.yank/v2\",\"name\":\"india/model\",\"version\":\"1.0.1\","
                + "\"digest\":\"" + digest + "\",\"reason\":\"wrong labels\"}").getBytes(StandardCharsets.UTF_8);
        Envelope yank = EnvelopeSigner.sign(PayloadTypes.YANK, statement, KEY);
        assertThat(httpB.post("/v1/packages/india/model/versions/1.0.1/yank", yank.toJsonString()).status())
                .isEqualTo(200);

        // through B at once: the node that answered the write reads the count back before it trusts memory again
        assertYanked(httpB, digest);
        // through A as soon as the notification arrives
        Eventually.untilAsserted(Eventually.PATIENCE, () -> assertYanked(httpA, digest), "A shows the yank");
    }

    private static void assertYanked(NodeHttp http, String digest) {
        JsonObject doc = http.get("/v1/packages/india/model/versions/1.0.1").json();
        assertThat(doc.getBoolean("yanked")).isTrue();
        assertThat(doc.getString("yankReason")).isEqualTo("wrong labels");
        assertThat(http.get("/v1/digests/" + digest).json().getBoolean("yanked")).isTrue();
        assertThat(http.get("/v1/packages/india/model/versions/latest").json().getString("version"))
                .isEqualTo("1.0.0");
        assertThat(http.get("/v1/packages/india/model").json().getString("latest")).isEqualTo("1.0.0");
    }

    @Test
    void aPublishThroughTheOtherNodeMovesLatestAndGetsItsProof() throws Exception {
        assertThat(httpA.publish(TestPackage.builder("juliet/model", "1.0.0").build(KEY)).status()).isEqualTo(201);
        awaitProof(httpA, "/v1/packages/juliet/model/versions/1.0.0");
        assertThat(httpA.get("/v1/packages/juliet/model/versions/latest").json().getString("version"))
                .isEqualTo("1.0.0");
        assertThat(httpB.get("/v1/packages/juliet/model/versions/latest").json().getString("version"))
                .isEqualTo("1.0.0");

        assertThat(httpB.publish(TestPackage.builder("juliet/model", "1.1.0").build(KEY)).status()).isEqualTo(201);
        assertThat(httpB.get("/v1/packages/juliet/model/versions/latest").json().getString("version"))
                .isEqualTo("1.1.0");
        Eventually.await(Eventually.PATIENCE, () -> httpA.get("/v1/packages/juliet/model/versions/latest").json()
                .getString("version").equals("1.1.0"), "A's latest moves to 1.1.0");
        // most likely read before the entry was in a checkpoint: the checkpoint made later must still reach it
        httpA.get("/v1/packages/juliet/model/versions/1.1.0");
        awaitProof(httpA, "/v1/packages/juliet/model/versions/1.1.0");
    }

    @Test
    void aWriteStraightIntoTheDatabaseShowsOnceNotified() throws Exception {
        assertThat(httpA.publish(TestPackage.builder("kilo/model", "1.0.0").build(KEY)).status()).isEqualTo(201);
        String path = "/v1/packages/kilo/model/versions/1.0.0";
        awaitProof(httpA, path);
        assertThat(httpA.get(path).json().getString("status")).isEqualTo("experiment");
        assertThat(httpA.get(path).json().getString("status")).isEqualTo("experiment");
        TestNode.await(b.pool().query(
                "UPDATE package_versions SET status = 'promoted' WHERE namespace = 'kilo' AND name = 'model'").execute());
        Eventually.await(Eventually.PATIENCE, () -> httpA.get(path).json().getString("status").equals("promoted"),
                "the promotion shows");
    }

    @Test
    void whileTheListeningConnectionIsCutReadsAskTheDatabaseAndAreExactAtOnce() throws Exception {
        assertThat(httpA.publish(TestPackage.builder("lima/model", "1.0.0").build(KEY)).status()).isEqualTo(201);
        String path = "/v1/packages/lima/model/versions/1.0.0";
        awaitProof(httpA, path);
        awaitListening(httpA);
        assertThat(httpA.get(path).json().getString("status")).isEqualTo("experiment");
        assertThat(httpA.get(path).json().getString("status")).isEqualTo("experiment"); // kept
        double subscribed = subscriptions(httpA);
        listenerProxy.cut();
        try {
            Eventually.await(Eventually.PATIENCE, () -> listening(httpA) == 0, "A notices its listener is gone");
            double queried = generations(httpA, "queried");
            // no notification can reach A now: only asking the database shows the change
            setStatus("lima", "promoted");
            assertThat(httpA.get(path).json().getString("status")).isEqualTo("promoted");
            assertThat(generations(httpA, "queried") - queried).isGreaterThanOrEqualTo(1);
            setStatus("lima", "experiment");
            assertThat(httpA.get(path).json().getString("status")).isEqualTo("experiment");
        } finally {
            listenerProxy.restore();
        }
        Eventually.await(Eventually.PATIENCE, () -> listening(httpA) == 1 && subscriptions(httpA) > subscribed,
                "A listens again");
        assertThat(httpA.get(path).json().getString("status")).isEqualTo("experiment");
        setStatus("lima", "promoted");
        Eventually.await(Eventually.PATIENCE, () -> httpA.get(path).json().getString("status").equals("promoted"),
                "a change shows through the new connection's notifications");
    }

    @Test
    void aTerminatedListeningBackendIsReplacedAndNothingStaysStale() throws Exception {
        assertThat(httpA.publish(TestPackage.builder("mike/model", "1.0.0").build(KEY)).status()).isEqualTo(201);
        String path = "/v1/packages/mike/model/versions/1.0.0";
        awaitProof(httpA, path);
        awaitListening(httpA);
        awaitListening(httpB);
        assertThat(httpB.get(path).json().getBoolean("yanked")).isFalse();
        assertThat(httpB.get(path).json().getBoolean("yanked")).isFalse(); // kept
        double subscribedA = subscriptions(httpA);
        double subscribedB = subscriptions(httpB);
        var killed = TestNode.await(b.pool().preparedQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        + "WHERE application_name = $1 AND datname = current_database()")
                .execute(Tuple.of(DocumentNotifications.APPLICATION_NAME)));
        assertThat(killed.size()).as("one listening backend per node").isEqualTo(2);
        // most likely before B noticed, or before it listens again: either way B must not keep the old document
        TestNode.await(a.pool().query(
                "UPDATE package_versions SET yanked = true WHERE namespace = 'mike' AND name = 'model'").execute());
        Eventually.await(Eventually.PATIENCE, () -> httpB.get(path).json().getBoolean("yanked"), "B shows the yank");
        Eventually.await(Eventually.PATIENCE, () -> subscriptions(httpA) > subscribedA && listening(httpA) == 1
                && subscriptions(httpB) > subscribedB && listening(httpB) == 1, "both nodes listen again");
        assertThat(httpA.get(path).json().getBoolean("yanked")).isTrue();
        assertThat(httpB.get(path).json().getBoolean("yanked")).isTrue();
    }

    @Test
    void documentsCarryStrongEtagsAndAMatchingIfNoneMatchGets304() throws Exception {
        assertThat(httpA.publish(TestPackage.builder("november/model", "1.0.0").build(KEY)).status()).isEqualTo(201);
        String path = "/v1/packages/november/model/versions/1.0.0";
        awaitProof(httpA, path);
        String digest = httpA.get(path).json().getString("digest");
        for (String each : new String[] {path, "/v1/packages/november/model", "/v1/digests/" + digest,
                "/v1/packages/november/model/versions/latest"}) {
            HttpResponse<String> full = httpA.getWith(each);
            assertThat(full.statusCode()).isEqualTo(200);
            String etag = full.headers().firstValue("ETag").orElseThrow();
            assertThat(etag).isEqualTo("\"sha256-" + Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(full.body().getBytes(StandardCharsets.UTF_8))) + "\"");
            assertThat(full.headers().firstValue("Cache-Control")).contains("no-cache");
            for (String condition : new String[] {etag, "W/" + etag, "\"other\", " + etag, "*"}) {
                HttpResponse<String> cached = httpA.getWith(each, "If-None-Match", condition);
                assertThat(cached.statusCode()).as(each + " If-None-Match: " + condition).isEqualTo(304);
                assertThat(cached.body()).isEmpty();
                assertThat(cached.headers().firstValue("ETag")).contains(etag);
                assertThat(cached.headers().firstValue("Cache-Control")).contains("no-cache");
            }
            HttpResponse<String> other = httpA.getWith(each, "If-None-Match", "\"sha256-other\"");
            assertThat(other.statusCode()).isEqualTo(200);
            assertThat(other.body()).isEqualTo(full.body());
        }

        String before = httpA.getWith(path).headers().firstValue("ETag").orElseThrow();
        byte[] statement = ("{\"schema\":\"grove.yank/v2\",\"name\":\"november/model\",\"version\":\"1.0.0\","
                + "\"digest\":\"" + digest + "\",\"reason\":\"superseded\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(httpA.post("/v1/packages/november/model/versions/1.0.0/yank",
                EnvelopeSigner.sign(PayloadTypes.YANK, statement, KEY).toJsonString()).status()).isEqualTo(200);
        HttpResponse<String> changed = httpA.getWith(path, "If-None-Match", before);
        assertThat(changed.statusCode()).as("a changed document is sent whole").isEqualTo(200);
        assertThat(new JsonObject(changed.body()).getBoolean("yanked")).isTrue();
        assertThat(changed.headers().firstValue("ETag").orElseThrow()).isNotEqualTo(before);
        assertThat(httpA.getWith("/v1/packages/november/model/versions/9.9.9", "If-None-Match", "*").statusCode())
                .as("nothing to match: still a 404").isEqualTo(404);
    }

    private static void setStatus(String namespace, String status) {
        TestNode.await(b.pool().preparedQuery("UPDATE package_versions SET status = $1 WHERE namespace = $2")
                .execute(Tuple.of(status, namespace)));
    }

    /** Polls until the version document carries an inclusion proof against a signed checkpoint. */
    static void awaitProof(NodeHttp http, String path) {
        Eventually.await(Eventually.PATIENCE,
                () -> http.get(path).json().getJsonObject("log").containsKey("checkpoint"), "a checkpoint covers " + path);
    }

    /** Waits until the node takes the count from notifications. */
    static void awaitListening(NodeHttp http) {
        Eventually.await(Eventually.PATIENCE, () -> listening(http) == 1, "the node listens for notifications");
    }

    static double listening(NodeHttp http) {
        return metric(http, "grove_version_documents_listening", "");
    }

    static double subscriptions(NodeHttp http) {
        return metric(http, "grove_version_documents_subscriptions_total", "");
    }

    static double generations(NodeHttp http, String source) {
        return metric(http, "grove_version_documents_generation_total", "source=\"" + source + "\"");
    }

    /** One series from the node's /metrics, {@code name{...label...} value}. */
    static double metric(NodeHttp http, String name, String label) {
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*" + Pattern.quote(label) + "[^}]*})? ([0-9.eE+-]+)$")
                .matcher(http.get("/metrics").body());
        assertThat(m.find()).as(name + " " + label).isTrue();
        return Double.parseDouble(m.group(2));
    }

    /** {@code grove_version_documents_total{result=...}} from the node's /metrics. */
    static double counter(NodeHttp http, String result) {
        Matcher m = Pattern.compile("(?m)^grove_version_documents_total\\{[^}]*result=\"" + result
                + "\"[^}]*} ([0-9.eE+-]+)$").matcher(http.get("/metrics").body());
        assertThat(m.find()).as("the counter of " + result + " documents").isTrue();
        return Double.parseDouble(m.group(1));
    }
}
