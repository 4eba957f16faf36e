package dev.grove.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.TimeoutError;
import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.node.Features;
import dev.grove.node.Node;
import dev.grove.node.testing.BrowserRuntimeFiles;
import dev.grove.node.testing.Eventually;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.TestNode;
import dev.grove.node.testing.TestPackage;
import dev.grove.runtime.model.Architecture;
import dev.grove.runtime.model.Model;
import dev.grove.runtime.model.TensorSpec;
import dev.grove.runtime.safetensors.SafetensorsFile;
import dev.grove.runtime.safetensors.SafetensorsWriter;
import dev.grove.testing.Chromium;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The browser runtime against a real node, in a real headless Chromium: the node serves the runtime's page from its
 * static site directory; the page fetches a published package, verifies it (signatures, cards, package digest, log
 * proof when the node gives one, artifact digests) and runs it, with the Wasm-GC build giving the JVM's bits. Through a
 * lying proxy in front of the same node, a tampered weight blob and a bad contract signature are refused, the message
 * is shown on the page, and nothing runs.
 */
class BrowserNodeTest {
    static final String REF = "garden/langid@1.0.0";
    static final String TEXT = "Bonjour tout le monde, comment allez-vous ?";
    static final Map<String, String> CONFIG = Map.of("architecture", "mlp", "ngram_orders", "1,2,3", "buckets", "1024",
            "hidden", "16", "activation", "relu", "classes", "2", "weights", "f32");

    @TempDir
    static Path data;
    @TempDir
    static Path site;

    static Vertx vertx;
    static Node node;
    static LyingNode liar;
    static Chromium chromium;
    /** One page for the whole class, as a visitor's one tab: what it verified before stays in its storage. */
    static Page tab;
    static byte[] weights;
    static String digest;
    static TestPackage sample;

    @BeforeAll
    static void start() throws Exception {
        Chromium.assumePresent();
        BrowserRuntimeFiles.copyTo(site.resolve("grove-runtime"));
        vertx = Vertx.vertx();
        node = TestNode.start(vertx, TestNode.config(data).withSiteDir(site), Features::all);
        NodeHttp http = new NodeHttp(node.port());

        weights = weights(Architecture.fromConfig(CONFIG));
        TestPackage pkg = TestPackage.builder("garden/langid", "1.0.0").labels("en", "fr").weights(weights)
                .editContract(c -> c.put("architecture", new JsonObject().put("family", "mlp").put("opset", 1)
                        .put("config", new JsonObject().put("ngram_orders", new JsonArray().add(1).add(2).add(3))
                                .put("buckets", 1024).put("hidden", new JsonArray().add(16)).put("activation", "relu")
                                .put("classes", 2).put("weights", "f32"))))
                .build(Ed25519PrivateKey.generate());
        NodeHttp.Reply published = http.publish(pkg);
        assertThat(published.status()).as(published.body()).isEqualTo(201);
        digest = pkg.digest().toString();
        sample = pkg;
        awaitLogProof(http);

        liar = new LyingNode(node.port());
        chromium = Chromium.launch();
        tab = chromium.browser.newPage();
        tab.setDefaultTimeout(60_000);
    }

    /** A node with a log gives the proof once a checkpoint covers the entry: wait for it (a node without a log: none). */
    static void awaitLogProof(NodeHttp http) {
        Eventually.await(Eventually.PATIENCE, () -> {
            JsonObject log = http.get("/v1/packages/garden/langid/versions/1.0.0").json().getJsonObject("log");
            return log == null || log.containsKey("checkpoint");
        }, "a checkpoint covers garden/langid@1.0.0's log entry");
    }

    @AfterAll
    static void stop() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        if (liar != null) {
            liar.close();
        }
        if (node != null) {
            TestNode.await(node.stop());
            TestNode.await(vertx.close());
        }
    }

    static byte[] weights(Architecture a) {
        SafetensorsWriter w = new SafetensorsWriter();
        int seed = 2024;
        for (TensorSpec s : a.expectedTensors()) {
            float[] v = new float[(int) s.elementCount()];
            for (int i = 0; i < v.length; i++) {
                seed = seed * 1103515245 + 12345;
                v[i] = ((seed >>> 8) & 0xffff) / 65536f - 0.5f;
            }
            w.addF32(s.name(), s.shape(), v);
        }
        return w.toBytes();
    }

    /** Opens the runtime's page on {@code port} with {@code ?ref=...}, which verifies and runs at once; the outcome. */
    static JsonObject openAndRun(int port, String runtime) throws Exception {
        String url = "http://127.0.0.1:" + port + "/grove-runtime/index.html?ref=" + enc(REF) + "&text=" + enc(TEXT)
                + (runtime == null ? "" : "&runtime=" + runtime);
        tab.navigate(url);
        String done = "document.body && ['ran', 'refused'].includes(document.body.dataset.state)";
        try {
            tab.waitForFunction(done);
        } catch (TimeoutError e) {
            throw new IllegalStateException("timed out waiting for " + done + "; page says: "
                    + tab.evaluate("document.body ? document.body.innerText : ''"), e);
        }
        return new JsonObject((String) tab.evaluate("JSON.stringify({outcome: window.groveOutcome,"
                + " error: document.getElementById('error').textContent,"
                + " checks: [...document.querySelectorAll('#report tr')].map(r => r.innerText)})"));
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void verifiesAndRunsAPackageFromARealNode() throws Exception {
        JsonObject page = openAndRun(node.port(), null);
        JsonObject outcome = page.getJsonObject("outcome");
        assertThat(outcome.getBoolean("ok")).as(page.encodePrettily()).isTrue();
        JsonObject out = outcome.getJsonObject("out");
        assertThat(out.getString("runtime")).isEqualTo("wasm-gc");
        assertThat(out.getJsonArray("labels")).containsExactly("en", "fr");

        float[] jvm = Model.load(Architecture.fromConfig(CONFIG), SafetensorsFile.parse(weights)).predict(TEXT);
        JsonArray p = out.getJsonArray("probabilities");
        for (int i = 0; i < jvm.length; i++) {
            assertThat(Float.floatToIntBits((float) p.getDouble(i).doubleValue()))
                    .as("class %d bits", i).isEqualTo(Float.floatToIntBits(jvm[i]));
        }

        JsonArray report = outcome.getJsonObject("pkg").getJsonArray("report");
        List<String> passed = report.stream().map(c -> (JsonObject) c)
                .filter(c -> c.getString("status").equals("passed")).map(c -> c.getString("check")).toList();
        assertThat(passed).contains("keyset", "signatures", "cards", "package digest", "reference", "architecture",
                "artifacts", "artifact weights/model.safetensors", "weights");
        JsonObject doc = new NodeHttp(node.port()).get("/v1/packages/garden/langid/versions/1.0.0").json();
        boolean nodeProvesLog = doc.getJsonObject("log") != null && doc.getJsonObject("log").containsKey("checkpoint");
        if (nodeProvesLog) {
            assertThat(passed).as("the node gives a log proof: the browser must have checked it").contains("log");
        }
        System.out.printf("browser vs node: %s verified (%d checks, log %s) and ran on %s: %s in %.3f ms; runtime "
                        + "loaded in %.1f ms; page load to first verified result %.1f ms (fetch %.1f ms, verify "
                        + "%.1f ms)%n", REF, report.size(), nodeProvesLog ? "proof checked" : "not served by this node",
                out.getString("runtime"), out.getString("label"), out.getDouble("ms"),
                outcome.getDouble("runtimeLoadMs"), outcome.getDouble("firstResultMs"),
                outcome.getJsonObject("pkg").getDouble("fetchMs"), outcome.getJsonObject("pkg").getDouble("verifyMs"));
    }

    @Test
    void theJavaScriptBuildVerifiesAndRunsTheSamePackage() throws Exception {
        JsonObject outcome = openAndRun(node.port(), "js").getJsonObject("outcome");
        assertThat(outcome.getBoolean("ok")).as(outcome.encodePrettily()).isTrue();
        assertThat(outcome.getJsonObject("out").getString("runtime")).isEqualTo("js");
        float[] jvm = Model.load(Architecture.fromConfig(CONFIG), SafetensorsFile.parse(weights)).predict(TEXT);
        JsonArray p = outcome.getJsonObject("out").getJsonArray("probabilities");
        for (int i = 0; i < jvm.length; i++) {
            assertThat(p.getDouble(i)).isCloseTo(jvm[i], org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    /**
     * After a run, the page sends an anonymous report with each build (blinded token, randomized answer, no
     * credentials); the node stores exactly what the page says it sent.
     */
    @Test
    void aRealChromiumSendsAnAnonymousReportThatTheNodeStores() throws Exception {
        openAndRun(node.port(), null);
        for (String build : List.of("wasm-gc", "js")) {
            long before = reportCount();
            JsonObject sent = new JsonObject((String) tab.evaluate("(async () => {"
                    + " const m = await import('/grove-runtime/grove.js');"
                    + " const rt = await m.createRuntime({prefer: '" + build + "'});"
                    + " const token = await rt.reportToken(location.origin);"
                    + " const sent = await rt.sendReport(location.origin, {package: '" + digest + "', helped: true,"
                    + " rating: 5, latencyMs: 12.4, device: 'desktop'}, {token});"
                    + " return JSON.stringify(sent); })()"));
            assertThat(sent.getString("runtime")).isEqualTo(build.equals("wasm-gc") ? "wasm" : "js");
            assertThat(sent.getString("package")).isEqualTo(digest);
            assertThat(sent.getBoolean("helpedTruth")).isTrue();
            assertThat(sent.containsKey("token")).isFalse();
            assertThat(reportCount()).isEqualTo(before + 1);
            io.vertx.sqlclient.Row row = TestNode.await(node.pool().preparedQuery("""
                    SELECT helped, rating, latency_ms, runtime, device_class FROM reports
                     WHERE package_digest = $1 AND runtime = $2""")
                    .execute(io.vertx.sqlclient.Tuple.of(digest, sent.getString("runtime")))).iterator().next();
            assertThat(row.getBoolean("helped")).isEqualTo(sent.getBoolean("helped"));
            assertThat(row.getInteger("rating")).isEqualTo(5);
            assertThat(row.getInteger("latency_ms")).isEqualTo(12);
            assertThat(row.getString("device_class")).isEqualTo("desktop");
        }
    }

    static long reportCount() {
        return TestNode.await(node.pool().preparedQuery("SELECT count(*) FROM reports WHERE package_digest = $1")
                .execute(io.vertx.sqlclient.Tuple.of(digest))).iterator().next().getLong(0);
    }

    @Test
    void aTamperedWeightFileIsRefusedBeforeItRuns() throws Exception {
        liar.mode = LyingNode.Mode.TAMPER_BLOBS;
        JsonObject page = openAndRun(liar.port(), null);
        JsonObject outcome = page.getJsonObject("outcome");
        assertThat(outcome.getBoolean("ok")).isFalse();
        assertThat(outcome.containsKey("out")).as("nothing ran").isFalse();
        assertThat(outcome.getString("check")).isEqualTo("artifact weights/model.safetensors");
        assertThat(page.getString("error")).startsWith("Refused: artifact weights/model.safetensors: SHA-256 is sha256:")
                .contains(", the contract pins sha256:");
        assertThat(page.getJsonArray("checks").getString(page.getJsonArray("checks").size() - 1))
                .startsWith("artifact weights/model.safetensors\tfailed");
    }

    @Test
    void aBadSignatureIsRefusedBeforeAnyWeightIsFetched() throws Exception {
        liar.mode = LyingNode.Mode.BAD_SIGNATURE;
        JsonObject page = openAndRun(liar.port(), null);
        JsonObject outcome = page.getJsonObject("outcome");
        assertThat(outcome.getBoolean("ok")).isFalse();
        assertThat(outcome.containsKey("out")).as("nothing ran").isFalse();
        assertThat(outcome.getString("check")).isEqualTo("signatures");
        assertThat(page.getString("error")).matches("Refused: signatures: signature check failed: contract: signature by key [0-9a-f]{64} does "
                + "not verify");
        assertThat(page.getJsonArray("checks").encode()).doesNotContain("artifact weights");
    }

    /** Another key's documents, a keyset listing that key, the proof removed: refused by the proof, before any fetch. */
    @Test
    void aForgedVersionStrippedOfItsLogProofIsRefused() throws Exception {
        liar.mode = LyingNode.Mode.DOWNGRADE;
        JsonObject page = openAndRun(liar.port(), null);
        JsonObject outcome = page.getJsonObject("outcome");
        assertThat(outcome.getBoolean("ok")).isFalse();
        assertThat(outcome.containsKey("out")).as("nothing ran").isFalse();
        assertThat(outcome.getString("check")).isEqualTo("log");
        assertThat(page.getString("error")).startsWith("Refused: log: the node serves no log proof for " + REF);
        assertThat(page.getJsonArray("checks").encode()).contains("keyset\\tpassed").contains("signatures\\tpassed")
                .doesNotContain("artifact weights");
    }

    /** The command-line client refuses the same forgery through the same proxy, and writes nothing. */
    @Test
    void theCommandLineRefusesTheSameForgery() throws Exception {
        liar.mode = LyingNode.Mode.DOWNGRADE;
        Path out = data.resolve("cli-pull");
        dev.grove.cli.GroveCli.Result pull = dev.grove.cli.GroveCli.run("pull", REF, "--registry",
                "http://127.0.0.1:" + liar.port(), "--out", out.toString());
        assertThat(pull.exitCode()).as(pull.toString()).isEqualTo(1);
        assertThat(pull.err()).contains("error: the node serves no log proof for " + REF).doesNotContain("warning");
        assertThat(out).doesNotExist();

        liar.mode = LyingNode.Mode.HONEST;
        dev.grove.cli.GroveCli.Result honest = dev.grove.cli.GroveCli.run("pull", REF, "--registry",
                "http://127.0.0.1:" + liar.port(), "--out", out.toString());
        assertThat(honest.exitCode()).as(honest.toString()).isZero();
        assertThat(honest.out()).contains("log         entry ");
    }

    /**
     * A twin node with the same log key and origin but another history (what a node showing two clients two logs looks
     * like): the browser that verified the honest checkpoint refuses the twin's, computed from the twin's own tiles.
     */
    @Test
    void aNodeShowingThisBrowserAnotherHistoryIsRefused() throws Exception {
        liar.mode = LyingNode.Mode.HONEST;
        JsonObject first = openAndRun(liar.port(), null);
        assertThat(first.getJsonObject("outcome").getBoolean("ok")).as(first.encodePrettily()).isTrue();

        Path twinData = Files.createDirectories(data.resolve("twin"));
        Files.copy(data.resolve("log-key.json"), twinData.resolve("log-key.json"));
        Node twin = TestNode.start(vertx, TestNode.config(twinData).withPublicUrl("http://localhost:" + node.port()),
                Features::all);
        try {
            NodeHttp twinHttp = new NodeHttp(twin.port());
            TestPackage other = TestPackage.builder("other/model", "1.0.0").build(Ed25519PrivateKey.generate());
            assertThat(twinHttp.publish(other).status()).isEqualTo(201);
            assertThat(twinHttp.publish(sample).status()).isEqualTo(201);
            awaitLogProof(twinHttp);
            liar.upstream = twin.port();
            JsonObject second = openAndRun(liar.port(), null);
            JsonObject outcome = second.getJsonObject("outcome");
            assertThat(outcome.getBoolean("ok")).as(second.encodePrettily()).isFalse();
            assertThat(outcome.containsKey("out")).as("nothing ran").isFalse();
            assertThat(outcome.getString("check")).isEqualTo("log");
            assertThat(second.getString("error")).contains("cannot be shown consistent with the one of size")
                    .contains("verified before");
        } finally {
            liar.upstream = node.port();
            TestNode.await(twin.stop());
        }
        JsonObject again = openAndRun(liar.port(), null);
        assertThat(again.getJsonObject("outcome").getBoolean("ok")).as(again.encodePrettily()).isTrue();
    }
}
