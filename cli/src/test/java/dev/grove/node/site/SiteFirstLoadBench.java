package dev.grove.node.site;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Request;
import dev.grove.cli.breed.Garden;
import dev.grove.testing.Chromium;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The site's first load, measured (not asserted): for every garden model and both runtime builds, a cold browser
 * profile opens the package page on a real node, runs the model once, and the bytes that crossed the wire (bodies and
 * headers, from Playwright's request sizes) and the time to the first verified result are printed. Not part of the
 * default test run (its name does not end in Test); run it with
 * {@code ./mvnw -B -o -q -pl cli -am test -Dtest=SiteFirstLoadBench -Dsurefire.failIfNoSpecifiedTests=false}
 * and read {@code cli/target/surefire-reports/dev.grove.node.site.SiteFirstLoadBench-output.txt}.
 *
 * <p>Time to first verified result ("first") = navigation to the page shown + Run pressed to result shown (the
 * runtime's download and start, the package's download and checks, the inference), leaving out the time the harness
 * takes to type. A page that checks the package ahead ("verified": navigation to the package checked and ready to run;
 * -1 when it did not) may finish the checks while the harness types: then "first" is the later of the page shown and
 * the package verified, plus Run pressed to result shown, which is then the inference and its display. "load",
 * "fetch" and "check" are the runtime's own times: its download and start, the package's documents and artifacts
 * fetched, and the checks. Loopback network: the bytes carry over to a real network, the times do not.
 */
class SiteFirstLoadBench {
    static final int ROUNDS = 3;

    @TempDir
    static Path data;

    @Test
    void firstLoadPerGardenModel() throws Exception {
        Chromium.assumePresent();
        try (GardenNode garden = GardenNode.start(data); Chromium chromium = Chromium.launch()) {
            for (String name : Garden.PACKAGES) {
                garden.awaitLogProof(Garden.NAMESPACE + "/" + name);
            }
            System.out.printf("%-20s %-7s %9s %9s %9s %9s %9s | %8s %8s %8s %8s %8s | %7s %7s %7s%n", "package",
                    "runtime", "total kB", "site kB", "runtime", "API kB", "blobs kB", "ready ms", "run ms",
                    "first ms", "infer ms", "verified", "load", "fetch", "check");
            for (String runtime : List.of("wasm-gc", "js")) {
                for (String name : Garden.PACKAGES) {
                    List<Map<String, Double>> rounds = new ArrayList<>();
                    for (int i = 0; i < ROUNDS; i++) {
                        rounds.add(once(chromium.browser, garden.url, Garden.NAMESPACE + "/" + name, runtime));
                    }
                    Map<String, Double> m = median(rounds);
                    System.out.printf("%-20s %-7s %9.1f %9.1f %9.1f %9.1f %9.1f | %8.0f %8.0f %8.0f %8.2f %8.0f"
                                    + " | %7.0f %7.0f %7.0f%n",
                            name, runtime, m.get("total") / 1024, m.get("site") / 1024, m.get("runtime") / 1024,
                            m.get("api") / 1024, m.get("blobs") / 1024, m.get("ready"), m.get("run"),
                            m.get("first"), m.get("infer"), m.get("verified"), m.get("load"), m.get("fetch"),
                            m.get("check"));
                }
            }
        }
    }

    /** One cold load: a new browser context (empty cache), the package page, one run. */
    static Map<String, Double> once(Browser browser, String node, String name, String runtime) {
        try (BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1100, 900))) {
            Page page = context.newPage();
            page.setDefaultTimeout(60_000);
            List<Request> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
            page.onRequestFinished(requests::add);
            page.navigate(node + "/#/p/" + name + (runtime.equals("js") ? "?runtime=js" : ""));
            page.waitForSelector("#run-input");
            page.locator("#run-input").fill(name.contains("sentiment") ? "What a wonderful, happy day"
                    : SiteBrowserTest.GERMAN);
            page.locator("#run-button").click();
            page.waitForSelector("body[data-run='done'], body[data-run='refused']");
            JsonObject run = new JsonObject((String) page.evaluate(
                    "JSON.stringify(Object.assign({readyMs: window.groveSiteReadyMs,"
                            + " verifiedMs: window.groveVerifiedMs == null ? -1 : window.groveVerifiedMs}, window.groveRun))"));
            if (!run.getBoolean("ok") || !run.getString("runtime").equals(runtime)) {
                throw new AssertionError(name + " on " + runtime + ": " + run.encodePrettily());
            }
            Map<String, Double> m = new LinkedHashMap<>();
            for (String k : List.of("total", "site", "runtime", "api", "blobs")) {
                m.put(k, 0.0);
            }
            for (Request r : List.copyOf(requests)) {
                double size = r.sizes().responseBodySize + r.sizes().responseHeadersSize;
                String path = r.url().substring(node.length());
                String kind = path.startsWith("/grove-runtime/") ? "runtime" : path.startsWith("/v1/blobs/") ? "blobs"
                        : path.startsWith("/v1/") || path.startsWith("/.well-known/") || path.startsWith("/log/")
                        ? "api" : "site";
                m.merge(kind, size, Double::sum);
                m.merge("total", size, Double::sum);
            }
            double ready = run.getDouble("readyMs");
            double run2result = run.getDouble("firstResultMs") - run.getDouble("submittedMs");
            m.put("ready", ready);
            m.put("run", run2result);
            double verified = run.getDouble("verifiedMs");
            m.put("first", Math.max(ready, verified) + run2result);
            m.put("infer", run.getDouble("ms"));
            m.put("verified", verified);
            m.put("load", run.getDouble("runtimeLoadMs"));
            m.put("fetch", run.getDouble("fetchMs"));
            m.put("check", run.getDouble("verifyMs"));
            return m;
        }
    }

    static Map<String, Double> median(List<Map<String, Double>> rounds) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String k : rounds.get(0).keySet()) {
            double[] v = rounds.stream().mapToDouble(r -> r.get(k)).sorted().toArray();
            out.put(k, v[v.length / 2]);
        }
        return out;
    }
}
