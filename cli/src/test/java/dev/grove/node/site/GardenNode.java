package dev.grove.node.site;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.cli.GroveCommand;
import dev.grove.cli.GardenDemo;
import dev.grove.node.Features;
import dev.grove.node.Node;
import dev.grove.node.NodeConfig;
import dev.grove.node.testing.Eventually;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

/**
 * A real node (fresh PostgreSQL, loopback, free port) serving its built-in site, with the committed garden published
 * through its API as {@code grove serve --demo} does: real trained models, their lineage, the quantize/merge/prune
 * claims re-run by the node.
 */
final class GardenNode implements AutoCloseable {
    static final int REPORT_MINIMUM = 3;
    final Vertx vertx;
    final Node node;
    final String url;

    private GardenNode(Vertx vertx, Node node) {
        this.vertx = vertx;
        this.node = node;
        this.url = "http://127.0.0.1:" + node.port();
    }

    static GardenNode start(Path data) throws Exception {
        assertThat(GardenNode.class.getClassLoader().getResource("grove-runtime/wasm-gc/grove-runtime.wasm"))
                .as("grove-runtime/ on the classpath: build browser-runtime with its TeaVM executions").isNotNull();
        assertThat(GardenNode.class.getClassLoader().getResource("grove-site/index.html"))
                .as("grove-site/ (the site/ folder) on the classpath").isNotNull();
        Vertx vertx = Vertx.vertx();
        // a small minimum (for the aggregates and the release rule alike), so that a test can see figures after a few
        // reports; tokens enough for a test's browsers
        NodeConfig config = TestNode.config(data.resolve("node")).withReports(dev.grove.node.reports.ReportSettings
                .defaults().withMinimumReports(REPORT_MINIMUM).withTokenLimit(200, 2000));
        Node node = TestNode.start(vertx, config, Features::all);
        GardenNode garden = new GardenNode(vertx, node);
        try {
            garden.publishGarden(data.resolve("demo"));
        } catch (Exception | AssertionError e) {
            garden.close();
            throw e;
        }
        return garden;
    }

    private void publishGarden(Path demo) throws Exception {
        Path key = demo.resolve("demo.key");
        StringWriter log = new StringWriter();
        PrintWriter out = new PrintWriter(log, true);
        java.nio.file.Files.createDirectories(demo);
        assertThat(GroveCommand.commandLine().setOut(out).setErr(out).execute("keygen", "--out", key.toString()))
                .as(log.toString()).isZero();
        Path garden = GardenDemo.locate().orElseThrow(() -> new AssertionError("examples/garden not found"));
        assertThat(GardenDemo.publish(garden, demo, key, url, out)).as(log.toString()).isZero();
        awaitLogProof("garden/langid-int8");
    }

    /** A checkpoint covers a publish within about 200 ms; the browser checks the proof once it is there. */
    void awaitLogProof(String name) {
        NodeHttp http = new NodeHttp(node.port());
        Eventually.await(Eventually.PATIENCE, () -> {
            JsonObject log = http.get("/v1/packages/" + name + "/versions/latest").json().getJsonObject("log");
            return log == null || log.containsKey("checkpoint");
        }, "a checkpoint covers " + name + "'s log entry");
    }

    /**
     * Sends one anonymous report the way a browser does (a blind-signed token from the node, then the report), for
     * tests that need aggregates without a browser run each.
     */
    void report(String digest, boolean helped, int rating, String runtime, String device) throws Exception {
        report(digest, helped, rating, runtime, device, 2);
    }

    /** {@link #report(String, boolean, int, String, String)} with this measured latency. */
    void report(String digest, boolean helped, int rating, String runtime, String device, int latencyMs)
            throws Exception {
        NodeHttp http = new NodeHttp(node.port());
        JsonObject issuer = http.get("/v1/reports/issuer").json();
        dev.grove.blind.BlindRsaPublicKey key = dev.grove.blind.BlindRsaPublicKey.fromBytes(
                dev.grove.blind.Base64Url.decode(issuer.getString("n")),
                dev.grove.blind.Base64Url.decode(issuer.getString("e")));
        java.security.SecureRandom random = new java.security.SecureRandom();
        dev.grove.reports.ReportTokens.Request request = dev.grove.reports.ReportTokens.request(key, random::nextBytes);
        NodeHttp.Reply signed = http.post("/v1/reports/tokens", new JsonObject()
                .put("blindedMessage", dev.grove.blind.Base64Url.encode(request.blindedMessage())).encode());
        assertThat(signed.status()).as(signed.body()).isEqualTo(200);
        dev.grove.reports.ReportToken token = request.finish(
                dev.grove.blind.Base64Url.decode(signed.json().getString("blindSignature")));
        NodeHttp.Reply sent = http.post("/v1/reports", new JsonObject()
                .put("token", new JsonObject().put("keyId", token.keyId()).put("message", token.messageBase64Url())
                        .put("signature", token.signatureBase64Url()))
                .put("package", digest).put("helped", helped).put("rating", rating).put("latencyMs", latencyMs)
                .put("runtime", runtime).put("device", device).encode());
        assertThat(sent.status()).as(sent.body()).isEqualTo(202);
    }

    JsonObject get(String path) {
        return new NodeHttp(node.port()).get(path).json();
    }

    @Override
    public void close() {
        TestNode.stop(node, vertx);
    }
}
