package dev.grove.node.site;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.WaitForSelectorState;
import dev.grove.node.testing.Eventually;
import dev.grove.testing.Chromium;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The site as a visitor meets it, end to end: a real node with the garden published serves its built-in site at
 * {@code /}, and a real headless Chromium searches, opens a package, reads its lineage graph, verifies and runs the
 * model in the page, with the keyboard alone, and at phone width. Every request the browser makes is recorded: none
 * may leave the node's origin. Screenshots go to {@code target/site-screenshots/}.
 */
class SiteBrowserTest {
    static final String GERMAN = "Alle Menschen sind frei und gleich an Würde und Rechten geboren";
    static final Path SCREENSHOTS = Paths.get("target", "site-screenshots");

    @TempDir
    static Path data;

    static GardenNode garden;
    static Chromium chromium;

    BrowserContext context;
    /** Every request this test's browser made; none may go beyond {@link #allowed} (the node, or a static host). */
    final List<String> requests = new CopyOnWriteArrayList<>();
    final List<String> allowed = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Chromium.assumePresent();
        Files.createDirectories(SCREENSHOTS);
        garden = GardenNode.start(data);
        chromium = Chromium.launch();
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (garden != null) {
            garden.close();
        }
    }

    /** A fresh browser profile (cold cache) whose every request is recorded. */
    Page open(int width, int height) {
        return open(new Browser.NewContextOptions().setViewportSize(width, height));
    }

    Page open(Browser.NewContextOptions options) {
        context = chromium.browser.newContext(options);
        Page page = context.newPage();
        page.onRequest(r -> requests.add(r.url()));
        page.setDefaultTimeout(60_000);
        return page;
    }

    @AfterEach
    void closeContextAndCheckRequests() {
        if (context == null) {
            return;
        }
        context.close();
        allowed.add(garden.url + "/");
        assertThat(requests).isNotEmpty();
        assertThat(requests).as("requests that left the node's origin (or the site's host)")
                .allSatisfy(url -> assertThat(allowed).anySatisfy(origin -> assertThat(url).startsWith(origin)));
    }

    static void screenshot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name)).setFullPage(true));
    }

    /** A misspelt name finds nothing by words: the page says so and names the package the node finds most like it. */
    @Test
    void aMisspeltSearch_suggestsTheNameItMeant() {
        Page page = open(1100, 900);
        page.navigate(garden.url + "/#/?q=sentimnet");
        page.waitForSelector("#result-count:has-text('Did you mean')");
        assertThat(page.locator("#result-count").textContent())
                .isEqualTo("No package matches “sentimnet”. Did you mean: garden/sentiment?");
        assertThat(page.locator("#results a[href='#/p/garden/sentiment@1.0.0']").count()).isEqualTo(1);
    }

    @Test
    void searchOpenLineageRun() {
        Page page = open(1100, 900);
        page.navigate(garden.url + "/");
        page.locator("#q").fill("langid");
        page.locator("#q").press("Enter");
        page.waitForSelector("#result-count:has-text('for “langid”')"); // not the list shown before the search
        page.waitForSelector("#results a[href='#/p/garden/langid-int8@1.0.0']");
        assertThat(page.locator("#results > li").count()).as("the nine langid packages, the cascade and the adapter "
                + "among them").isEqualTo(9);
        assertThat(page.locator("#result-count").textContent()).isEqualTo("9 packages for “langid”");
        screenshot(page, "search.png");

        page.locator("#results a[href='#/p/garden/langid-int8@1.0.0']").click();
        page.waitForSelector("svg.graph");
        assertThat(page.locator("h1").textContent()).isEqualTo("garden/langid-int8 1.0.0");
        Locator quantize = page.locator("svg.graph g.edge-group[data-operator='quantize']");
        assertThat(quantize.count()).isEqualTo(1);
        assertThat(quantize.getAttribute("data-reproduced")).isEqualTo("true");
        assertThat(quantize.locator("tspan.repro").textContent()).isEqualTo(" ✓ reproduced");
        String parent = garden.get("/v1/packages/garden/langid/versions/1.0.0").getString("digest");
        assertThat(quantize.getAttribute("data-parent")).isEqualTo(parent);
        // the parent is a link to its own page
        assertThat(page.locator("svg.graph a[href='#/d/" + parent + "']").count()).isEqualTo(1);
        // the evaluation card: accuracy by language, with sample counts
        assertThat(page.locator(".breakdown[data-factor='language'] svg g.row").count()).isEqualTo(11);
        assertThat(page.locator(".breakdown[data-factor='language'] svg").getAttribute("aria-label"))
                .contains("de 96.4% (n=225)");
        // the contract's labels
        assertThat(page.locator("#interface").textContent()).contains("en, fr, de, es, it, pt, nl, sv, da, nb, und");
        // release: an experiment for want of benefit reports; the evidence against its parent as charts
        assertThat(page.locator("#release-status").getAttribute("data-status")).isEqualTo("experiment");
        assertThat(page.locator("#release-conditions li[data-met='false']").getAttribute("data-condition"))
                .isEqualTo("benefit");
        assertThat(page.locator("#release-conditions li[data-condition='efficiency']").getAttribute("data-met"))
                .isEqualTo("true");
        assertThat(page.locator("[data-evidence='evaluation'] svg g.row").count()).as("baseline and candidate")
                .isEqualTo(2);
        assertThat(page.locator("[data-evidence='evaluation'] svg line.ci").count()).as("interval whiskers")
                .isEqualTo(6);

        JsonObject run = run(page, GERMAN);
        assertThat(run.getBoolean("ok")).as(run.encodePrettily()).isTrue();
        assertThat(run.getString("label")).isEqualTo("de");
        assertThat(run.getString("runtime")).isEqualTo("wasm-gc");
        assertThat(page.locator("#run-label").textContent()).startsWith("de (German) — ");
        assertThat(page.locator("#run-runtime").textContent()).isEqualTo("WebAssembly GC");
        assertThat(page.locator("#run-chart svg g.row").count()).isEqualTo(11);
        List<String> passed = passedChecks(run);
        assertThat(passed).contains("keyset", "signatures", "cards", "package digest", "log", "architecture",
                "artifact weights/model.safetensors", "weights");
        assertThat(page.locator("#verification tr[data-check='log'] td.passed").count()).isEqualTo(1);
        screenshot(page, "package-run.png");

        // an anonymous report about the run: a blind-signed token, the randomised answer; the node counts it
        String int8 = garden.get("/v1/packages/garden/langid-int8/versions/1.0.0").getString("digest");
        assertThat(garden.get("/v1/reports/" + int8).getInteger("count")).isZero();
        page.locator("#report-form input[name='helped'][value='yes']").check();
        page.locator("#report-form input[name='rating'][value='4']").check();
        page.locator("#report-device").selectOption("desktop");
        page.locator("#report-send").click();
        page.waitForSelector("#report-form[data-sent='true']");
        JsonObject sent = new JsonObject((String) page.evaluate("JSON.stringify(window.groveReport)"));
        assertThat(sent.getBoolean("ok")).as(sent.encodePrettily()).isTrue();
        assertThat(sent.getJsonObject("sent").getString("package")).isEqualTo(int8);
        assertThat(sent.getJsonObject("sent").getString("runtime")).isEqualTo("wasm");
        assertThat(sent.getJsonObject("sent").getInteger("rating")).isEqualTo(4);
        assertThat(page.locator("#report-send").isDisabled()).as("one report per run").isTrue();
        assertThat(garden.get("/v1/reports/" + int8).getInteger("count")).isEqualTo(1);
        screenshot(page, "report-sent.png");
        System.out.printf("site: %s ran on %s in %.3f ms: %s%n", "garden/langid-int8", run.getString("runtime"),
                run.getDouble("ms"), run.getString("label"));
    }

    /**
     * The adapter's page: the lineage graph draws its (dashed, reproduced) edge to its base; Run verifies the base and
     * the adapter, each with its own checks, and runs base + adapter in the page: the JVM's answer for the same input.
     */
    @Test
    void anAdapterRunsOverItsBaseAfterBothVerify() throws Exception {
        Page page = open(1100, 900);
        page.navigate(garden.url + "/#/p/garden/langid-nordic-adapter@1.0.0");
        page.waitForSelector("svg.graph");
        String base = garden.get("/v1/packages/garden/langid/versions/1.0.0").getString("digest");
        Locator edge = page.locator("svg.graph g.edge-group[data-operator='adapter']");
        assertThat(edge.count()).isEqualTo(1);
        assertThat(edge.getAttribute("data-parent")).isEqualTo(base);
        assertThat(edge.getAttribute("data-reproduced")).isEqualTo("true");
        assertThat(edge.locator("path.edge-adapter").count()).isEqualTo(1);

        String danish = "Alle mennesker er født frie og lige i værdighed og rettigheder";
        JsonObject run = run(page, danish);
        assertThat(run.getBoolean("ok")).as(run.encodePrettily()).isTrue();
        assertThat(run.getString("runtime")).isEqualTo("wasm-gc");
        assertThat(passedChecks(run)).contains("signatures", "log", "architecture", "base", "weights");
        JsonObject b = run.getJsonObject("base");
        assertThat(b.getString("ref")).isEqualTo("garden/langid@1.0.0");
        assertThat(b.getString("digest")).isEqualTo(base);
        assertThat(b.getJsonArray("checks").stream().map(c -> ((JsonObject) c).getString("check")).toList())
                .contains("signatures", "log", "weights");
        assertThat(page.locator("#verification-base tr[data-check='log'] td.passed").count()).isEqualTo(1);
        assertThat(page.locator("#verification tr[data-check='base'] td.passed").count()).isEqualTo(1);
        // the same probabilities the JVM computes for base + adapter
        Path committed = dev.grove.cli.GardenDemo.locate().orElseThrow();
        float[] jvm = dev.grove.cli.breed.AdapterPackage.load(committed.resolve("langid-nordic-adapter"))
                .model(dev.grove.cli.breed.ParentPackage.load(committed.resolve("langid"))).predict(danish);
        JsonArray p = run.getJsonArray("probabilities");
        for (int k = 0; k < jvm.length; k++) {
            assertThat(p.getDouble(k).floatValue()).as("class " + k).isEqualTo(jvm[k]);
        }
        assertThat(page.locator("#run-timing").textContent()).contains("as an adapter over garden/langid@1.0.0");
        screenshot(page, "adapter-run.png");
    }

    @Test
    void filtersNarrowTheList() throws InterruptedException {
        Page page = open(1100, 900);
        page.navigate(garden.url + "/");
        awaitResults(page, 10);
        page.locator("#f-license").selectOption("ODbL-1.0");
        assertThat(awaitResults(page, 1)).containsExactly("garden/sentiment");
        page.locator("#f-license").selectOption("");
        awaitResults(page, 10);
        // under 100 kB: the sentiment model (66 kB), the nordic adapter, whose resources are its own delta (it runs
        // over its base, which it names), and the cascade, which carries no weights of its own (its mean cost is in its
        // evaluation card); the cascade's small member has 132 kB, langid-int8 263 kB
        page.locator("#f-maxBytes").selectOption("100000");
        assertThat(awaitResults(page, 3)).containsExactlyInAnyOrder("garden/langid-nordic-adapter", "garden/sentiment",
                "garden/langid-cascade");
        page.locator("#f-maxBytes").selectOption("");
        awaitResults(page, 10);
        page.locator("#f-status").selectOption("promoted");
        awaitResults(page, 0);
        assertThat(page.locator("#result-count").textContent()).isEqualTo("No package matches.");
        // the filters live in the address, so a filtered list can be bookmarked and shared
        assertThat(page.url()).endsWith("#/?status=promoted");
        page.locator("#f-status").selectOption("");
        awaitResults(page, 10);
        page.locator("#f-origin").selectOption(new com.microsoft.playwright.options.SelectOption().setIndex(1));
        awaitResults(page, 10);
        assertThat(page.url()).contains("origin=");
    }

    /** Waits until the list shows {@code count} packages (the page re-renders after each filter); their names. */
    @SuppressWarnings("unchecked")
    static List<String> awaitResults(Page page, int count) {
        return (List<String>) Eventually.await(Eventually.PATIENCE, () -> page.evaluate(
                "document.body.dataset.page === 'search' && document.getElementById('results')"
                        + " ? [...document.querySelectorAll('#results h2 a')].map(a => a.textContent) : null"),
                names -> names instanceof List<?> list && list.size() == count,
                "the list shows " + count + " packages");
    }

    /**
     * A cascade's page: the lineage graph draws an edge to each member; Run verifies the cascade, then fetches and
     * verifies a member only when the input reaches it, and says which member answered. An input the small member is
     * sure of never loads the large one; an input it is unsure of does, with the large member's own checks shown.
     */
    @Test
    void aCascadeLoadsItsMembersWhenRoutingReachesThem() throws Exception {
        Path examples = Path.of("..", "examples");
        dev.grove.pkg.Contract contract = dev.grove.pkg.Contract.parse(Files.readAllBytes(examples.resolve(
                "garden/langid-cascade/grove.json")));
        dev.grove.pkg.CascadeConfig config = dev.grove.pkg.CascadeConfig.fromArchitecture(contract.architecture());
        List<dev.grove.runtime.model.Model> models = new java.util.ArrayList<>();
        for (dev.grove.pkg.CascadeMember m : config.members()) {
            models.add(dev.grove.cli.breed.ParentPackage.load(examples.resolve("garden").resolve(m.name().name())).model());
        }
        dev.grove.runtime.cascade.Cascade cascade = new dev.grove.runtime.cascade.Cascade(config, models);
        dev.grove.runtime.train.Dataset held = dev.grove.runtime.train.Dataset.parse(Files.readAllBytes(
                examples.resolve("data/langid-heldout.tsv")));
        String unsure = null;
        for (int i = 0; i < held.size() && unsure == null; i++) {
            unsure = cascade.route(held.text(i)).member() == 1 ? held.text(i) : null;
        }
        assertThat(cascade.route(GERMAN).member()).as("the small member is sure of the German sentence").isZero();
        assertThat(unsure).as("a held-out text the small member escalates").isNotNull();
        String largeWeights = weights(garden.get("/v1/packages/garden/langid/versions/1.0.0")).getString("digest");
        String smallWeights = weights(garden.get("/v1/packages/garden/langid-small-int8/versions/1.0.0"))
                .getString("digest");

        Page page = open(1100, 900);
        page.navigate(garden.url + "/#/p/garden/langid-cascade");
        page.waitForSelector("svg.graph");
        Locator edges = page.locator("svg.graph g.edge-group[data-operator='cascade']");
        assertThat(edges.count()).as("an edge to each member").isEqualTo(2);
        assertThat(edges.first().getAttribute("data-reproduced")).isEqualTo("true");

        JsonObject first = run(page, GERMAN);
        assertThat(first.getBoolean("ok")).as(first.encodePrettily()).isTrue();
        assertThat(first.getString("label")).isEqualTo("de");
        assertThat(first.getInteger("member")).isZero();
        assertThat(first.getString("memberRef")).isEqualTo("garden/langid-small-int8@1.0.0");
        assertThat(first.getJsonArray("loadedNow").getList()).containsExactly("garden/langid-small-int8@1.0.0");
        assertThat(page.locator("#run-member").textContent()).contains("1 of 2, garden/langid-small-int8@1.0.0");
        assertThat(passedChecks(first)).contains("signatures", "log", "architecture");
        assertThat(requests).anySatisfy(u -> assertThat(u).contains("/v1/blobs/" + smallWeights));
        assertThat(requests).as("the large member is not fetched for an input the small one answers")
                .noneMatch(u -> u.contains(largeWeights));
        assertThat(page.locator("#run-checks details").count()).as("the cascade's checks and its member's")
                .isEqualTo(2);

        JsonObject second = run(page, unsure);
        assertThat(second.getBoolean("ok")).as(second.encodePrettily()).isTrue();
        assertThat(second.getInteger("member")).isEqualTo(1);
        assertThat(second.getInteger("consulted")).isEqualTo(2);
        assertThat(second.getJsonArray("loadedNow").getList()).containsExactly("garden/langid@1.0.0");
        assertThat(second.getString("label")).isEqualTo(contract.outputs().get(0).labels().get(
                dev.grove.runtime.train.Evaluation.argmax(cascade.route(unsure).probabilities())));
        assertThat(requests).anySatisfy(u -> assertThat(u).contains("/v1/blobs/" + largeWeights));
        assertThat(page.locator("#run-member").textContent()).contains("2 of 2, garden/langid@1.0.0")
                .contains("after 1 smaller member escalated");
        assertThat(page.locator("#run-checks details").count()).isEqualTo(3);
        assertThat(page.locator("#run-checks details tr[data-check='weights'] td.passed").count())
                .as("each member's weights checked").isEqualTo(2);
        screenshot(page, "cascade-run.png");
    }

    @Test
    void theJavaScriptBuildRunsTheSameModel() {
        // and the dark colour scheme, for the screenshot
        Page page = open(new Browser.NewContextOptions().setViewportSize(1100, 900)
                .setColorScheme(com.microsoft.playwright.options.ColorScheme.DARK));
        page.navigate(garden.url + "/#/p/garden/langid-int8?runtime=js");
        page.waitForSelector("#run-input");
        JsonObject run = run(page, GERMAN);
        assertThat(run.getBoolean("ok")).as(run.encodePrettily()).isTrue();
        assertThat(run.getString("runtime")).isEqualTo("js");
        assertThat(run.getString("label")).isEqualTo("de");
        assertThat(page.locator("#run-runtime").textContent()).isEqualTo("JavaScript");
        screenshot(page, "dark-js-run.png");
    }

    @Test
    void keyboardOnlyFromSearchToARun() {
        Page page = open(1100, 900);
        page.navigate(garden.url + "/");
        page.waitForSelector("#q");
        tabUntil(page, "document.activeElement.id === 'q'");
        page.keyboard().type("langid-int8");
        page.keyboard().press("Enter");
        page.waitForSelector("#result-count:has-text('for “langid-int8”')");
        page.waitForSelector("#results a[href='#/p/garden/langid-int8@1.0.0']");
        tabUntil(page, "document.activeElement.getAttribute('href') === '#/p/garden/langid-int8@1.0.0'");
        assertThat(page.evaluate("getComputedStyle(document.activeElement).outlineStyle")).as("visible focus")
                .isEqualTo("solid");
        page.keyboard().press("Enter");
        page.waitForSelector("svg.graph");
        assertThat(page.evaluate("document.activeElement.tagName + ' ' + document.activeElement.textContent"))
                .as("focus moves to the new page's heading").isEqualTo("H1 garden/langid-int8 1.0.0");
        tabUntil(page, "document.activeElement.id === 'run-input'");
        page.keyboard().type(GERMAN);
        page.keyboard().press("Tab");
        assertThat(page.evaluate("document.activeElement.id")).isEqualTo("run-button");
        page.keyboard().press("Enter");
        page.waitForSelector("body[data-run='done'], body[data-run='refused']");
        JsonObject run = new JsonObject((String) page.evaluate("JSON.stringify(window.groveRun)"));
        assertThat(run.getBoolean("ok")).as(run.encodePrettily()).isTrue();
        assertThat(run.getString("label")).isEqualTo("de");
        // the lineage graph's packages are reachable by keyboard too
        tabUntil(page, "document.activeElement.closest && !!document.activeElement.closest('svg.graph')");
        screenshot(page, "keyboard.png");
    }

    @Test
    void readableAtPhoneWidth() {
        Page page = open(360, 740);
        page.navigate(garden.url + "/#/p/garden/langid");
        page.waitForSelector("svg.graph");
        // the garden's README.md model card, fetched, checked against its pinned digest and rendered (its # is an h3)
        page.waitForSelector("#readme .readme h3");
        assertThat(page.locator("#readme .readme h3").first().textContent())
                .isEqualTo("Model card: garden/langid");
        assertThat(page.locator("#readme").textContent()).contains("Trained from scratch (lineage operator train)")
                .contains("Held-out accuracy is lowest on the technical lines of manual pages");
        JsonObject run = run(page, "Bonjour tout le monde, comment allez-vous ?");
        assertThat(run.getString("label")).isEqualTo("fr");
        assertThat(page.evaluate("document.documentElement.scrollWidth")).as("no sideways scrolling of the page")
                .isEqualTo(360);
        screenshot(page, "phone-package.png");
        page.navigate(garden.url + "/#/?q=langid");
        page.waitForSelector("#results li");
        assertThat(page.evaluate("document.documentElement.scrollWidth")).isEqualTo(360);
        screenshot(page, "phone-search.png");
    }

    @Test
    void theNodeServesTheSiteWithItsPolicyAndKeepsApiErrorsAsProblems() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> index = http.send(HttpRequest.newBuilder(URI.create(garden.url + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Security-Policy").orElse(""))
                .startsWith("default-src 'self'; ").contains("connect-src 'self'");
        HttpResponse<String> runtime = http.send(HttpRequest.newBuilder(
                URI.create(garden.url + "/grove-runtime/wasm-gc/grove-runtime.wasm")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(runtime.headers().firstValue("Content-Type")).contains("application/wasm");
        // gzip for a browser that asks, except for blobs (their ranges address the stored bytes)
        HttpResponse<byte[]> gzipped = http.send(HttpRequest.newBuilder(
                URI.create(garden.url + "/grove-runtime/wasm-gc/grove-runtime.wasm")).header("Accept-Encoding", "gzip")
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(gzipped.headers().firstValue("Content-Encoding")).contains("gzip");
        String weights = weights(garden.get("/v1/packages/garden/langid/versions/1.0.0")).getString("url");
        HttpResponse<byte[]> blob = http.send(HttpRequest.newBuilder(URI.create(garden.url + weights))
                .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(blob.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(blob.body()).hasSize(1049756);
        // a site on another host may read everything under /v1 and post reports, and nothing else
        for (String path : List.of("/v1/reports", "/v1/reports/tokens", "/v1/packages")) {
            HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(URI.create(garden.url + path))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", "https://site.example")
                    .header("Access-Control-Request-Method", "POST")
                    .header("Access-Control-Request-Headers", "content-type").build(),
                    HttpResponse.BodyHandlers.ofString());
            String methods = preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("");
            if (path.startsWith("/v1/reports")) {
                assertThat(preflight.statusCode()).as(path).isIn(200, 204);
                assertThat(methods).as(path).contains("POST");
                assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase())
                        .as(path).contains("content-type");
            } else {
                assertThat(methods).as(path).doesNotContain("POST");
            }
        }
        for (String path : List.of("/v1/nothing-here", "/missing.html")) {
            HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(garden.url + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(missing.statusCode()).as(path).isEqualTo(404);
            assertThat(missing.headers().firstValue("Content-Type")).as(path).contains("application/problem+json");
        }
    }

    @Test
    void aSiteFolderOnAnotherHostReadsAndRunsFromTheNode() throws Exception {
        Path dir = data.resolve("static-site");
        java.io.StringWriter log = new java.io.StringWriter();
        int code = dev.grove.cli.GroveCommand.commandLine().setOut(new java.io.PrintWriter(log, true))
                .setErr(new java.io.PrintWriter(log, true)).execute("site", "--out", dir.toString(), "--node", garden.url);
        assertThat(code).as(log.toString()).isZero();
        assertThat(Files.readString(dir.resolve("config.json"))).contains("\"node\": \"" + garden.url + "\"");
        assertThat(Files.readString(dir.resolve("index.html"))).contains("connect-src 'self' " + garden.url + ";");
        assertThat(dir.resolve("grove-runtime/wasm-gc/grove-runtime.wasm")).isRegularFile();
        try (StaticHost host = new StaticHost(dir)) {
            allowed.add(host.url + "/");
            Page page = open(1100, 900);
            page.navigate(host.url + "/#/p/garden/langid-int8");
            page.waitForSelector("svg.graph");
            JsonObject run = run(page, GERMAN);
            assertThat(run.getBoolean("ok")).as(run.encodePrettily()).isTrue();
            assertThat(run.getString("label")).isEqualTo("de");
            assertThat(run.getString("runtime")).isEqualTo("wasm-gc");
            assertThat(passedChecks(run)).contains("signatures", "log", "artifact weights/model.safetensors");
            assertThat(requests).anySatisfy(url -> assertThat(url).startsWith(garden.url + "/v1/blobs/"));
            assertThat(requests).anySatisfy(url -> assertThat(url).startsWith(host.url + "/grove-runtime/"));
            screenshot(page, "static-host.png");
        }
    }

    /** The weights among a version document's artifacts, which the node lists by path (README.md comes first). */
    static JsonObject weights(JsonObject version) {
        return version.getJsonArray("artifacts").stream().map(JsonObject.class::cast)
                .filter(a -> a.getString("path").equals("weights/model.safetensors")).findFirst().orElseThrow();
    }

    @Test
    void aMirrorDrawsTheLineageOfAnotherOriginsPackagesAndRunsItsCopy() throws Exception {
        JsonObject origin = garden.get("/v1/packages/garden/langid-int8/versions/1.0.0");
        String int8 = origin.getString("digest");
        String weights = weights(origin).getString("digest");
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        Path mirrorData = data.resolve("mirror");
        dev.grove.node.Node mirror = dev.grove.node.testing.TestNode.start(vertx,
                dev.grove.node.testing.TestNode.config(mirrorData).withPeers(List.of(garden.url))
                        .withFollowInterval(java.time.Duration.ofMillis(100)), dev.grove.node.Features::all);
        try {
            String mirrorUrl = "http://127.0.0.1:" + mirror.port();
            dev.grove.node.testing.NodeHttp http = new dev.grove.node.testing.NodeHttp(mirror.port());
            Eventually.await(Eventually.PATIENCE, () -> http.get("/v1/lineage/" + int8).status() == 200,
                    "the mirror copies the garden");
            allowed.add(mirrorUrl + "/");
            Page page = open(1100, 900);
            page.navigate(mirrorUrl + "/#/d/" + int8);
            page.waitForSelector("svg.graph");
            // the mirror names the origin by its log ("host/grove-log"); its peer list says where that node is
            assertThat(page.locator("svg.graph rect.node.foreign").count()).as("both packages are the garden node's")
                    .isEqualTo(2);
            assertThat(page.locator("svg.graph text.origin").allTextContents())
                    .containsOnly("from " + URI.create(garden.url).getAuthority());
            assertThat(page.locator("svg.graph g.edge-group[data-operator='quantize']").count()).isEqualTo(1);
            // the mirror re-ran the quantize claim itself on its copy of parent and child
            assertThat(page.locator("svg.graph g.edge-group[data-operator='quantize']").getAttribute("data-reproduced"))
                    .isEqualTo("true");
            assertThat(page.locator("svg.graph g.edge-group[data-operator='quantize'] tspan.repro").textContent())
                    .isEqualTo(" ✓ reproduced");
            assertThat(page.locator("#mirrored a[href='" + garden.url + "/#/p/garden/langid-int8@1.0.0']").count())
                    .isEqualTo(1);
            screenshot(page, "mirror-lineage.png");

            // every result the mirror's search lists links to a page that works: the origin's copy, by its log
            String mirrored = http.get("/v1/digests/" + int8).json().getString("origin");
            // the cascade is published last: once the mirror has it, it has every langid package
            String cascade = garden.get("/v1/packages/garden/langid-cascade/versions/1.0.0").getString("digest");
            Eventually.await(Eventually.PATIENCE, () -> http.get("/v1/digests/" + cascade).status() == 200,
                    "the mirror copies the cascade");
            page.navigate(mirrorUrl + "/#/?q=langid");
            page.waitForSelector("#result-count:has-text('for “langid”')");
            List<String> links = page.locator("#results li.result h2 a").all().stream()
                    .map(l -> l.getAttribute("href")).toList();
            assertThat(links).hasSize(9).allSatisfy(href -> assertThat(href).startsWith("#/p/" + mirrored + "/garden/"));
            for (String href : links) {
                String ref = href.substring(("#/p/" + mirrored + "/").length());
                page.navigate(mirrorUrl + "/" + href);
                page.waitForSelector("h1:has-text('" + ref.replace("@", " ") + "'), h1:has-text('Something went wrong')");
                assertThat(page.locator("h1").textContent()).as(href).isEqualTo(ref.replace("@", " "));
                assertThat(page.locator("#version-list").count()).as(href + ": the versions the mirror holds")
                        .isEqualTo(1);
            }
            page.navigate(mirrorUrl + "/#/p/garden/langid@1.0.0"); // a plain name: the one origin that has it
            page.waitForSelector("h1:has-text('garden/langid 1.0.0'), h1:has-text('Something went wrong')");
            assertThat(page.locator("h1").textContent()).isEqualTo("garden/langid 1.0.0");
            page.navigate(mirrorUrl + "/#/d/" + int8);
            page.waitForSelector("h1:has-text('garden/langid-int8 1.0.0')");

            // the mirror follows the garden, so the visitor runs the mirror's copy, checked against the garden's log
            JsonObject run = run(page, GERMAN);
            assertThat(run.getBoolean("ok")).as(run.encodePrettily()).isTrue();
            assertThat(run.getString("label")).isEqualTo("de");
            assertThat(passedChecks(run)).contains("keyset", "signatures", "package digest", "log",
                    "artifact weights/model.safetensors", "weights");
            String logOrigin = http.get("/v1/digests/" + int8).json().getString("origin");
            assertThat(run.getJsonArray("checks").stream().map(c -> (JsonObject) c)
                    .filter(c -> "log".equals(c.getString("check"))).findFirst().orElseThrow().getString("detail"))
                    .as("proven in the garden's log, not the mirror's").contains(" of log " + logOrigin + ", in its signed checkpoint");
            assertThat(requests).as("nothing fetched from the origin node").noneMatch(u -> u.startsWith(garden.url));
            assertThat(requests).anySatisfy(u -> assertThat(u).startsWith(mirrorUrl + "/v1/origins/"));
            assertThat(requests).anySatisfy(u -> assertThat(u).startsWith(mirrorUrl + "/v1/blobs/" + weights));
            screenshot(page, "mirror-run.png");

            // asked for a copy from a log this node does not follow: no key to check it with, refused
            String unfollowed = (String) page.evaluate("([node, ref]) => import(new URL('grove-runtime/grove.js',"
                    + " document.baseURI).href).then((m) => m.createRuntime()).then((g) => g.loadPackage(node, ref,"
                    + " {origin: 'elsewhere.example/grove-log'})).then(() => 'loaded', (e) => e.name + ' ' + e.check"
                    + " + ' ' + e.message)", List.of(mirrorUrl, "garden/langid-int8@1.0.0"));
            assertThat(unfollowed).isEqualTo("GroveRefusal log log: " + mirrorUrl + " follows no node whose log is"
                    + " elsewhere.example/grove-log, so there is no key to check its copy against; run the package from"
                    + " its origin node");

            // a mirror whose copy of the weights went bad: the browser refuses it before it runs
            String hex = weights.substring("sha256:".length());
            Path blob = mirrorData.resolve("blobs").resolve("sha256").resolve(hex.substring(0, 2)).resolve(hex);
            byte[] bytes = Files.readAllBytes(blob);
            bytes[bytes.length - 1] ^= 1;
            Files.write(blob, bytes);
            context.close();
            page = open(1100, 900); // a cold cache: the blob is fetched again
            page.navigate(mirrorUrl + "/#/d/" + int8);
            page.waitForSelector("#run-form");
            JsonObject refused = run(page, GERMAN);
            assertThat(refused.getBoolean("ok")).as(refused.encodePrettily()).isFalse();
            assertThat(refused.getString("check")).isEqualTo("artifact weights/model.safetensors");
            assertThat(page.locator("#run-error").textContent()).startsWith("Refused, nothing ran: ");
            assertThat(page.locator("#run-label").count()).as("no result shown").isZero();
        } finally {
            dev.grove.node.testing.TestNode.stop(mirror, vertx);
        }
    }

    @Test
    void benefitReportsAreShownOnceThereAreEnough() throws Exception {
        String digest = garden.get("/v1/packages/garden/sentiment/versions/1.0.0").getString("digest");
        Page page = open(1100, 900);
        page.navigate(garden.url + "/#/p/garden/sentiment");
        page.waitForSelector("#reports-aggregate");
        assertThat(page.locator("#reports-aggregate").textContent()).contains("0 anonymous reports so far")
                .contains("from " + GardenNode.REPORT_MINIMUM + " reports on");
        assertThat(page.locator("#reports-helped").count()).isZero();
        for (int i = 0; i < GardenNode.REPORT_MINIMUM; i++) {
            garden.report(digest, true, 5, "wasm", "desktop");
        }
        context.close(); // the node lets browsers cache the aggregate for a minute: a new profile
        page = open(1100, 900);
        page.navigate(garden.url + "/#/p/garden/sentiment");
        page.waitForSelector("#reports-helped");
        assertThat(page.locator("#reports-aggregate").getAttribute("data-count"))
                .isEqualTo(String.valueOf(GardenNode.REPORT_MINIMUM));
        assertThat(page.locator("#reports-helped svg").getAttribute("aria-label")).startsWith("Share of users helped: all ");
        screenshot(page, "reports.png");
    }

    /**
     * Below the node's minimum the package page shows how many reports there are and how many are needed, and no
     * figure computed from them: not the latency they measured, not a share helped, neither in the reports' summary
     * nor in the release evidence. From the minimum on, both show the figures.
     */
    @Test
    void belowTheMinimumThePageShowsTheCountAndNoFigureOfTheReports() throws Exception {
        int latencyMs = 3_217_489; // distinctive, so that any trace of it on the page can be found
        List<String> traces = List.of("3217489", "3,217,489", "3 217 489");
        String digest = garden.get("/v1/packages/garden/langid-pruned/versions/1.0.0").getString("digest");
        Page page = null;
        for (int sent = 1; sent <= GardenNode.REPORT_MINIMUM; sent++) {
            garden.report(digest, false, 2, "wasm", "phone", latencyMs);
            if (context != null) {
                context.close(); // the node lets browsers cache the aggregate for a minute: a new profile each time
            }
            page = open(1100, 900);
            page.navigate(garden.url + "/#/p/garden/langid-pruned");
            page.waitForSelector("#reports-aggregate");
            page.waitForSelector("#release-evidence [data-evidence='reports']");
            // everything in the page, the charts' <title>s, hidden tables and labels included
            String text = (String) page.evaluate("document.body.textContent + '\\n' + [...document.querySelectorAll("
                    + "'[aria-label]')].map((e) => e.getAttribute('aria-label')).join('\\n')");
            String reports = page.locator("#release-evidence [data-evidence='reports']").textContent();
            if (sent < GardenNode.REPORT_MINIMUM) {
                assertThat(page.locator("#reports-aggregate").textContent())
                        .contains(sent + (sent == 1 ? " anonymous report" : " anonymous reports") + " so far")
                        .contains("from " + GardenNode.REPORT_MINIMUM + " reports on");
                assertThat(reports).contains(sent + " of " + GardenNode.REPORT_MINIMUM + " needed");
                assertThat(text).as("below the minimum (%d of %d)", sent, GardenNode.REPORT_MINIMUM)
                        .doesNotContain(traces).doesNotContain("Share of users helped", "Reported latency",
                                "Median reported latency", "median latency", "Mean rating", "Mean of the optional");
                assertThat(page.locator("#reports-helped").count()).isZero();
                assertThat(page.locator("[data-evidence='helped']").count()).isZero();
                screenshot(page, "reports-below-minimum.png");
            } else {
                assertThat(page.locator("#reports-aggregate").getAttribute("data-count")).isEqualTo(String.valueOf(sent));
                assertThat(reports).doesNotContain("needed");
                assertThat(page.locator("#reports-helped svg").getAttribute("aria-label"))
                        .startsWith("Share of users helped: all ");
                assertThat(page.locator("[data-evidence='helped'] svg").getAttribute("aria-label"))
                        .startsWith("Share of users helped: helped ");
                assertThat(text).contains("Reported latency: median 3217489 ms", "Median reported latency 3217489.00 ms",
                        "Share of users helped", "Mean rating");
            }
        }
    }

    /** Types text into the run panel, runs, waits for the outcome ({@code window.groveRun}). */
    static JsonObject run(Page page, String text) {
        page.locator("#run-input").fill(text);
        page.locator("#run-button").click();
        page.waitForSelector("body[data-run='done'], body[data-run='refused']");
        page.waitForSelector("#run-result", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.ATTACHED));
        return new JsonObject((String) page.evaluate("JSON.stringify(window.groveRun)"));
    }

    static List<String> passedChecks(JsonObject run) {
        JsonArray checks = run.getJsonArray("checks");
        return checks.stream().map(c -> (JsonObject) c).filter(c -> "passed".equals(c.getString("status")))
                .map(c -> c.getString("check")).toList();
    }

    /** Presses Tab until {@code condition} holds (at most 80 times): the element is reachable by keyboard. */
    static void tabUntil(Page page, String condition) {
        for (int i = 0; i < 80; i++) {
            if (Boolean.TRUE.equals(page.evaluate("!!(" + condition + ")"))) {
                return;
            }
            page.keyboard().press("Tab");
        }
        throw new AssertionError("not reachable with Tab: " + condition + "; focus is on "
                + page.evaluate("document.activeElement.outerHTML.slice(0, 200)"));
    }

    /**
     * The package page a visitor chooses from, at desktop (1280 px) and phone (390 px) width, screenshots under
     * target/screenshots/: the lineage graph fits its box on first view, the artifact links download bytes whose
     * SHA-256 is the pinned digest, the README renderer shows an HTML/script payload as text, and at phone width no
     * element of the evidence block overflows.
     */
    @Test
    void packagePageAtDesktopAndPhoneWidth() throws Exception {
        Path shots = Paths.get("target", "screenshots");
        Files.createDirectories(shots);
        for (int width : new int[] {1280, 390}) {
            Page page = open(width, 900);
            page.navigate(garden.url + "/#/p/garden/langid@1.0.0");
            page.waitForSelector("svg.graph");
            page.waitForSelector("#artifact-list a[data-digest]");
            page.waitForTimeout(300);
            page.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve("package-" + width + ".png"))
                    .setFullPage(true));
            Object fits = page.evaluate("() => { const w = document.querySelector('.graph-wrap').getBoundingClientRect();"
                    + " const g = document.querySelector('svg.graph').getBoundingClientRect();"
                    + " return g.left >= w.left - 0.5 && g.right <= w.right + 0.5; }");
            assertThat(fits).as("lineage SVG within its box at " + width + " px").isEqualTo(true);
            Object downloads = page.evaluate("async () => { const out = [];"
                    + " for (const a of document.querySelectorAll('#artifact-list a[data-digest]')) {"
                    + "  const buf = await (await fetch(a.href)).arrayBuffer();"
                    + "  const hex = [...new Uint8Array(await crypto.subtle.digest('SHA-256', buf))]"
                    + "   .map((b) => b.toString(16).padStart(2, '0')).join('');"
                    + "  out.push('sha256:' + hex === a.dataset.digest); } return out.length > 0 && out.every(Boolean); }");
            assertThat(downloads).as("every artifact link downloads the pinned bytes").isEqualTo(true);
            assertThat(page.locator("#pull-line").textContent()).startsWith("grove pull garden/langid@1.0.0 --registry "
                    + garden.url);
            Object readme = page.evaluate("async () => { const m = await import('./js/markdown.js');"
                    + " const el = m.renderMarkdown('# Card\\n\\nHello <script>window.pwned = 1</script>"
                    + " <img src=x onerror=\"window.pwned = 2\"> [x](javascript:alert(1)) [ok](https://example.org/)');"
                    + " document.querySelector('main').append(el); await new Promise((r) => setTimeout(r, 100));"
                    + " return [el.querySelectorAll('script, img').length, window.pwned === undefined,"
                    + "  el.textContent.includes('<script>window.pwned = 1</script>'),"
                    + "  [...el.querySelectorAll('a')].map((a) => a.getAttribute('href')).join(' ')].join('|'); }");
            assertThat(readme).as("README payload shown as text").isEqualTo("0|true|true|https://example.org/");
            if (width == 390) {
                Object overflow = page.evaluate("() => { const bad = [];"
                        + " for (const block of document.querySelectorAll('#release-status .evidence')) {"
                        + "  const r = block.getBoundingClientRect();"
                        + "  for (const el of block.querySelectorAll('*')) { const b = el.getBoundingClientRect();"
                        + "   if (b.width && (b.right > r.right + 1 || b.left < r.left - 1)) bad.push(el.tagName + ':'"
                        + "    + (el.textContent || '').slice(0, 30)); } }"
                        + " if (document.documentElement.scrollWidth > innerWidth) bad.push('page scrolls sideways');"
                        + " return bad; }");
                assertThat((List<?>) overflow).as("overflowing evidence elements at 390 px").isEmpty();
            }
            context.close();
            context = null;
        }
    }
}
