package dev.grove.node.site;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.grove.cli.GroveCli;
import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.node.Node;
import dev.grove.node.testing.Eventually;
import dev.grove.node.testing.NodeFixture;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.TestNode;
import dev.grove.node.testing.TestPackage;
import dev.grove.testing.Chromium;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Packages outlive their origin (real nodes on loopback, each with its own embedded database; a real headless
 * Chromium): A publishes the garden, B mirrors A (and publishes a package of its own under one of A's names), A is
 * stopped for good, and C is started from B alone, following B's copy of A's log with A's key (and B's own log). C
 * serves A's packages as A's, proven in A's log: {@code grove pull} from C verifies with A's key, a plain name means the
 * one origin that has it and a name two origins have is refused with both listed, and a visitor of C's site opens a
 * package from the search and runs it, checked against A's log, without a request beyond C.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OutliveOriginTest {

    static final Duration DEADLINE = Duration.ofSeconds(120);
    static final String GERMAN = "Alle Menschen sind frei und gleich an Würde und Rechten geboren";

    @TempDir
    static Path data;

    static GardenNode a;
    static NodeFixture nodes;
    static Node b;
    static Node c;
    static String originA;
    static String keyA;
    static String originB;
    static long sizeA;
    static Chromium chromium;
    static final Ed25519PrivateKey bob = Ed25519PrivateKey.generate();

    @BeforeAll
    static void start() throws Exception {
        Chromium.assumePresent();
        a = GardenNode.start(data.resolve("a"));
        JsonObject identity = a.get("/.well-known/grove/node");
        originA = identity.getString("logOrigin");
        keyA = identity.getString("logKey");
        nodes = new NodeFixture();
        b = nodes.start(TestNode.config(data.resolve("b")).withPeers(List.of(a.url))
                .withFollowInterval(Duration.ofMillis(100)));
        originB = new NodeHttp(b.port()).get("/.well-known/grove/node").json().getString("logOrigin");
        String keyB = new NodeHttp(b.port()).get("/.well-known/grove/node").json().getString("logKey");
        // B's own package under a name A has too
        TestPackage own = TestPackage.builder("garden/langid", "9.0.0").summary("another language identifier")
                .weights("B's own weights".getBytes(StandardCharsets.UTF_8)).build(bob);
        assertThat(new NodeHttp(b.port()).publish(own).status()).isEqualTo(201);

        sizeA = size(new String(new NodeHttp(a.node.port()).get("/log/checkpoint").body()));
        await("B to hold all of A's log (" + sizeA + " entries)", () -> served(b, originA) == sizeA);
        a.close(); // for good
        a = null;

        String copyOfA = "http://127.0.0.1:" + b.port() + "/v1/origins/" + URLEncoder.encode(originA,
                StandardCharsets.UTF_8);
        c = nodes.start(TestNode.config(data.resolve("c")).withPeers(List.of(copyOfA + "#" + keyA,
                "http://127.0.0.1:" + b.port() + "#" + keyB)).withFollowInterval(Duration.ofMillis(100)));
        await("C to hold all of A's log from B", () -> served(c, originA) == sizeA);
        await("C to hold B's own package", () -> new NodeHttp(c.port()).get("/v1/origins/"
                + URLEncoder.encode(originB, StandardCharsets.UTF_8) + "/packages/garden/langid/versions/9.0.0")
                .status() == 200);
        chromium = Chromium.launch();
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (nodes != null) {
            nodes.close();
        }
        if (a != null) {
            a.close();
        }
    }

    static long size(String checkpoint) {
        return Long.parseLong(checkpoint.split("\n")[1]);
    }

    static long served(Node node, String origin) {
        NodeHttp.Reply cp = new NodeHttp(node.port()).get("/v1/origins/" + URLEncoder.encode(origin,
                StandardCharsets.UTF_8) + "/log/checkpoint");
        return cp.status() == 200 ? size(cp.body()) : -1;
    }

    static void await(String what, BooleanSupplier condition) {
        Eventually.await(DEADLINE, condition::getAsBoolean, what);
    }

    static String url(Node node) {
        return "http://127.0.0.1:" + node.port();
    }

    @Test
    @Order(1)
    void withTheOriginGone_pullFromTheNewNodeVerifiesWithTheOriginsKey() throws Exception {
        Path out = data.resolve("pulled");
        GroveCli.Result pull = GroveCli.run("pull", originA + "/garden/langid-int8@1.0.0", "--registry", url(c),
                "--out", out.toString(), "--log-key", keyA);
        assertThat(pull.exitCode()).as(pull.toString()).isZero();
        assertThat(pull.out()).contains("origin      " + originA)
                .contains(" of log " + originA + ", in its signed checkpoint of size " + sizeA)
                .contains("log key     " + keyA);
        assertThat(Files.exists(out.resolve("weights/model.safetensors"))).isTrue();
        GroveCli.Result run = GroveCli.run("run", originA + "/garden/langid-int8@1.0.0", "--registry", url(c),
                "--log-key", keyA, "--input", GERMAN);
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("de");
        // C's peers: A's log read through B, caught up; A itself was never asked
        JsonObject peers = new NodeHttp(c.port()).get("/v1/peers").json();
        JsonObject logA = peers.getJsonArray("logs").stream().map(o -> (JsonObject) o)
                .filter(l -> originA.equals(l.getString("origin"))).findFirst().orElseThrow();
        assertThat(logA.getString("state")).isEqualTo("caught-up");
        assertThat(logA.getJsonArray("sources").getJsonObject(0).getString("url")).startsWith(url(b) + "/v1/origins/");
    }

    @Test
    @Order(2)
    void namesOnTheNewNode_resolveToTheOneOriginThatHasThem_orAreRefused() {
        NodeHttp onC = new NodeHttp(c.port());
        assertThat(onC.get("/v1/packages/garden/langid-int8/versions/1.0.0").json().getString("origin"))
                .isEqualTo(originA);
        NodeHttp.Reply ambiguous = onC.get("/v1/packages/garden/langid/versions/latest");
        assertThat(ambiguous.status()).isEqualTo(409);
        assertThat(ambiguous.json().getJsonArray("origins")).containsExactlyInAnyOrder(originA, originB);

        GroveCli.Result plain = GroveCli.run("pull", "garden/langid-int8@1.0.0", "--registry", url(c), "--out",
                data.resolve("plain").toString(), "--log-key", keyA);
        assertThat(plain.exitCode()).as(plain.toString()).isZero();
        assertThat(plain.out()).contains(" of log " + originA);
        GroveCli.Result refused = GroveCli.run("info", "garden/langid", "--registry", url(c));
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err()).contains(originA).contains(originB).contains("ORIGIN/garden/langid");
        GroveCli.Result info = GroveCli.run("info", originB + "/garden/langid", "--registry", url(c));
        assertThat(info.exitCode()).as(info.toString()).isZero();
        assertThat(info.out()).contains("garden/langid  (on " + originB + ")").contains("9.0.0");
        GroveCli.Result search = GroveCli.run("search", "langid", "--registry", url(c));
        assertThat(search.out().lines()).anyMatch(l -> l.startsWith("garden/langid ") && l.contains(originA))
                .anyMatch(l -> l.startsWith("garden/langid ") && l.contains(originB));
    }

    @Test
    @Order(3)
    void aVisitorOfTheNewNodesSite_opensAPackageFromTheSearch_andRunsIt() {
        List<String> requests = new CopyOnWriteArrayList<>();
        BrowserContext context = chromium.browser.newContext(new com.microsoft.playwright.Browser.NewContextOptions()
                .setViewportSize(1100, 900));
        try {
            Page page = context.newPage();
            page.onRequest(r -> requests.add(r.url()));
            page.setDefaultTimeout(60_000);
            page.navigate(url(c) + "/#/?q=langid");
            page.waitForSelector("#result-count:has-text('for “langid”')");
            String href = "#/p/" + originA + "/garden/langid-int8@1.0.0";
            page.locator("#results a[href='" + href + "']").click();
            page.waitForSelector("h1:has-text('garden/langid-int8 1.0.0')");
            page.waitForSelector("svg.graph");
            assertThat(page.locator("svg.graph g.edge-group[data-operator='quantize']").getAttribute("data-reproduced"))
                    .as("C re-ran the quantize claim on its own copy").isEqualTo("true");
            JsonObject run = SiteBrowserTest.run(page, GERMAN);
            assertThat(run.getBoolean("ok")).as(run.encodePrettily()).isTrue();
            assertThat(run.getString("label")).isEqualTo("de");
            assertThat(SiteBrowserTest.passedChecks(run)).contains("keyset", "signatures", "package digest", "log");
            JsonArray checks = run.getJsonArray("checks");
            assertThat(checks.stream().map(x -> (JsonObject) x).filter(x -> "log".equals(x.getString("check")))
                    .findFirst().orElseThrow().getString("detail")).contains(" of log " + originA);
            page.screenshot(new Page.ScreenshotOptions().setPath(SiteBrowserTest.SCREENSHOTS
                    .resolve("outlive-run.png")).setFullPage(true));
        } finally {
            context.close();
        }
        assertThat(requests).isNotEmpty().allSatisfy(u -> assertThat(u).startsWith(url(c) + "/"));
    }
}
