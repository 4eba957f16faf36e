package dev.grove.node.site;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.grove.cli.GroveCli;
import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.node.testing.BrowserRuntimeFiles;
import dev.grove.node.testing.Nginx;
import dev.grove.note.NoteVerifier;
import dev.grove.testing.Chromium;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A package run in the browser from a static folder: a node publishes the garden, {@code grove export} writes its log,
 * blobs and documents to a folder, nginx serves it (with {@code Access-Control-Allow-Origin: *}), the node is stopped
 * for good, and a real headless Chromium opens the runtime's page from another nginx (another origin) with
 * {@code ?node=} the folder's URL and {@code ?logKey=} the origin's key: the page verifies the package with the same
 * kernel (signatures, keyset, inclusion proof in the exported checkpoint, digests) and runs it. A wrong key, or no key,
 * is refused before any blob is fetched; a flipped byte in a weight blob is refused before the weights are used.
 */
class StaticBrowserTest {
    static final String REF = "garden/langid@1.0.0";
    static final String GERMAN = OutliveOriginTest.GERMAN;

    @TempDir
    static Path data;
    @TempDir
    static Path root;
    @TempDir
    static Path pages;

    static Nginx folder;
    static Nginx page;
    static Chromium chromium;
    static String originA;
    static String keyA;

    @BeforeAll
    static void start() throws Exception {
        Chromium.assumePresent();
        BrowserRuntimeFiles.copyTo(pages.resolve("grove-runtime"));
        try (GardenNode a = GardenNode.start(data.resolve("a"))) {
            JsonObject identity = a.get("/.well-known/grove/node");
            originA = identity.getString("logOrigin");
            keyA = identity.getString("logKey");
            a.awaitLogProof("garden/langid");
            GroveCli.Result export = GroveCli.run("export", "--registry", a.url, "--out", root.resolve("a").toString(),
                    "--log-key", keyA);
            assertThat(export.exitCode()).as(export.toString()).isZero();
            GroveCli.Result tampered = GroveCli.run("export", "--registry", a.url, "--out",
                    root.resolve("tampered").toString(), "--log-key", keyA);
            assertThat(tampered.exitCode()).as(tampered.toString()).isZero();
        } // the origin is gone from here on
        JsonObject doc = new JsonObject(Files.readString(root.resolve("a/v1/packages/garden/langid/versions/1.0.0")));
        String weights = doc.getJsonArray("artifacts").stream().map(o -> (JsonObject) o)
                .filter(o -> o.getString("path").endsWith(".safetensors")).findFirst().orElseThrow().getString("digest");
        Path blob = root.resolve("tampered/v1/blobs/" + weights);
        byte[] bytes = Files.readAllBytes(blob);
        bytes[bytes.length - 1] ^= 1;
        Files.write(blob, bytes);

        folder = Nginx.serve(root);
        page = Nginx.serve(pages);
        chromium = Chromium.launch();
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (page != null) {
            page.close();
        }
        if (folder != null) {
            folder.close();
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    record Visit(JsonObject outcome, String error, List<String> requests) {
        boolean fetchedBlobs() {
            return requests.stream().anyMatch(u -> u.contains("/v1/blobs/"));
        }
    }

    /** A fresh browser profile (nothing pinned) opens the runtime's page from the page host, loading from {@code node}. */
    static Visit open(String node, String logKey) {
        BrowserContext context = chromium.browser.newContext();
        try {
            return open(context, node, logKey);
        } finally {
            context.close();
        }
    }

    static Visit open(BrowserContext context, String node, String logKey) {
        List<String> requests = new CopyOnWriteArrayList<>();
        Page p = context.newPage();
        p.onRequest(r -> requests.add(r.url()));
        p.setDefaultTimeout(60_000);
        p.navigate(page.url() + "/grove-runtime/index.html?node=" + enc(node) + "&ref=" + enc(REF) + "&text="
                + enc(GERMAN) + (logKey == null ? "" : "&logKey=" + enc(logKey)));
        p.waitForFunction("document.body && ['ran', 'refused'].includes(document.body.dataset.state)");
        JsonObject outcome = new JsonObject((String) p.evaluate("JSON.stringify(window.groveOutcome)"));
        String error = (String) p.evaluate("document.getElementById('error').textContent");
        p.close();
        return new Visit(outcome, error, requests);
    }

    static List<String> passed(JsonArray report) {
        return report.stream().map(o -> (JsonObject) o).filter(c -> "passed".equals(c.getString("status")))
                .map(c -> c.getString("check")).toList();
    }

    @Test
    void theBrowserVerifiesAndRunsAPackageFromTheFolder_withTheOriginsKey() {
        Visit v = open(folder.url() + "/a", keyA);
        assertThat(v.outcome().getBoolean("ok")).as(v.outcome().encodePrettily()).isTrue();
        JsonObject out = v.outcome().getJsonObject("out");
        assertThat(out.getString("label")).isEqualTo("de");
        JsonArray report = v.outcome().getJsonObject("pkg").getJsonArray("report");
        assertThat(passed(report)).contains("keyset", "signatures", "package digest", "reference", "log",
                "architecture", "artifacts", "weights").anyMatch(c -> c.startsWith("artifact weights/"));
        JsonObject log = report.stream().map(o -> (JsonObject) o).filter(c -> "log".equals(c.getString("check")))
                .findFirst().orElseThrow();
        assertThat(log.getString("detail")).contains(" of log " + originA).contains(keyA).contains("key pinned");
        // only the two static hosts were asked: the page's and the folder's
        assertThat(v.requests()).isNotEmpty().allSatisfy(u -> assertThat(u)
                .matches(x -> x.startsWith(page.url() + "/") || x.startsWith(folder.url() + "/a/")));
        assertThat(v.fetchedBlobs()).isTrue();
    }

    @Test
    void aWrongKeyIsRefusedBeforeAnyBlobIsFetched() throws Exception {
        // the origin's name with another key: what a host claiming to be that origin would give
        String wrong = NoteVerifier.ed25519(originA, Ed25519PrivateKey.generate().publicKey()).toString();
        assertThat(wrong).isNotEqualTo(keyA).startsWith(originA + "+");
        Visit v = open(folder.url() + "/a", wrong);
        assertThat(v.outcome().getBoolean("ok")).as(v.outcome().encodePrettily()).isFalse();
        assertThat(v.outcome().containsKey("out")).as("nothing ran").isFalse();
        assertThat(v.outcome().getString("check")).isEqualTo("log");
        assertThat(v.error()).startsWith("Refused: log: the checkpoint does not verify with the key of log " + originA);
        assertThat(v.fetchedBlobs()).as("no weight fetched: " + v.requests()).isFalse();

        // another log's key altogether
        String other = NoteVerifier.ed25519("elsewhere.example/grove-log", Ed25519PrivateKey.generate().publicKey())
                .toString();
        Visit o = open(folder.url() + "/a", other);
        assertThat(o.outcome().getBoolean("ok")).as(o.outcome().encodePrettily()).isFalse();
        assertThat(o.outcome().getString("check")).isEqualTo("log");
        assertThat(o.fetchedBlobs()).isFalse();
    }

    @Test
    void withoutAKey_theFolderNamesNone_andTheLoadIsRefused() {
        Visit v = open(folder.url() + "/a", null);
        assertThat(v.outcome().getBoolean("ok")).as(v.outcome().encodePrettily()).isFalse();
        assertThat(v.outcome().getString("check")).isEqualTo("log");
        assertThat(v.error()).contains("no log key");
        assertThat(v.fetchedBlobs()).isFalse();
    }

    @Test
    void onceVerified_theKeyIsPinned_andAnotherKeyForThatLogIsRefused() {
        BrowserContext context = chromium.browser.newContext();
        try {
            Visit first = open(context, folder.url() + "/a", keyA);
            assertThat(first.outcome().getBoolean("ok")).as(first.outcome().encodePrettily()).isTrue();
            String wrong = NoteVerifier.ed25519(originA, Ed25519PrivateKey.generate().publicKey()).toString();
            Visit second = open(context, folder.url() + "/a", wrong);
            assertThat(second.outcome().getBoolean("ok")).isFalse();
            assertThat(second.error()).contains("is pinned in this browser to " + keyA);
            assertThat(second.fetchedBlobs()).isFalse();
        } finally {
            context.close();
        }
    }

    @Test
    void aFlippedByteInAWeightBlobIsRefusedBeforeTheWeightsAreUsed() {
        Visit v = open(folder.url() + "/tampered", keyA);
        assertThat(v.outcome().getBoolean("ok")).as(v.outcome().encodePrettily()).isFalse();
        assertThat(v.outcome().containsKey("out")).as("nothing ran").isFalse();
        assertThat(v.outcome().getString("check")).startsWith("artifact weights/");
        assertThat(v.error()).contains("SHA-256 is sha256:").contains(", the contract pins sha256:");
        assertThat(passed(v.outcome().getJsonArray("report"))).contains("log", "signatures").doesNotContain("weights");
    }
}
