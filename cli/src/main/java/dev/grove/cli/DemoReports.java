package dev.grove.cli;

import dev.grove.blind.Base64Url;
import dev.grove.blind.BlindRsaPublicKey;
import dev.grove.node.Node;
import dev.grove.node.feature.NodeServices;
import dev.grove.node.log.NodeLog;
import dev.grove.node.release.Release;
import dev.grove.node.release.ReleaseEvaluator;
import dev.grove.reports.RandomizedResponse;
import dev.grove.reports.ReportToken;
import dev.grove.reports.ReportTokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The benefit reports {@code grove serve --demo} sends after {@link DemoPackages}, so that a newcomer's node shows the
 * whole release path rather than only experiments: one version promoted, one promoted and then demoted, one still
 * collecting evidence (fewer reports than the node's minimum), each change a signed, logged decision citing its
 * evidence.
 *
 * <p>The reports go through the real report API exactly as a browser sends them: each with its own blind-signed token
 * ({@code POST /v1/reports/tokens}, then {@code POST /v1/reports}), the "did it help?" answer randomized with the
 * runtime's epsilon. Nothing in a request says it is the demo's: the label is the row this process writes, through the
 * node's database pool and no route, in {@code demo_reports} (a count per version, nothing about any report), which the
 * node shows as {@code release.demoReports} in the version document. No client can set or clear it.
 *
 * <p>Then it runs the node's release evaluation on those versions (the same rule and signing key as the node's own
 * rounds, which would reach the same decisions within {@code --release-interval}), so the decisions are there at once.
 * A node that already holds demo reports gets none again: a restart sends nothing new.
 */
final class DemoReports {

    /** Reports per phase before more are added; never fewer than three times the node's minimum. */
    static final int BASE_BATCH = 60;
    /** Extra reports when the randomized answers left a phase short; at most {@link #RETRIES} times. */
    static final int EXTRA = 20;
    static final int RETRIES = 2;

    private static final String OWN_VERSIONS = """
            SELECT namespace, name, version, digest FROM package_versions WHERE origin = '' AND NOT yanked ORDER BY id""";
    private static final String STATUS = "SELECT status FROM package_versions WHERE digest = $1 AND origin = ''";
    private static final String ANY_DEMO = "SELECT 1 FROM demo_reports LIMIT 1";
    private static final String RECORD = """
            INSERT INTO demo_reports (package_digest, reports) VALUES ($1, $2)
            ON CONFLICT (package_digest) DO UPDATE SET reports = demo_reports.reports + EXCLUDED.reports""";

    private final Node node;
    private final ReleaseEvaluator evaluator;
    private final String registry;
    private final int minimum;
    private final PrintWriter log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final SecureRandom random = new SecureRandom();
    private BlindRsaPublicKey issuer;

    private DemoReports(Vertx vertx, Node node, PrintWriter log) {
        this.node = node;
        NodeServices services = node.services();
        this.evaluator = Release.open(services, NodeLog.open(services), node.config().release(), node.config().reports().minimumReports()).evaluator();
        this.registry = "http://127.0.0.1:" + node.port();
        this.minimum = node.config().reports().minimumReports();
        this.log = log;
    }

    /** The report tokens the demo may ask for at most: {@code grove serve --demo} lets one address get that many at once. */
    static int tokens(int minimumReports) {
        return 3 * (batch(minimumReports) + RETRIES * EXTRA) + minimumReports;
    }

    private static int batch(int minimumReports) {
        return Math.max(BASE_BATCH, 3 * minimumReports);
    }

    /**
     * Sends the demo's reports and evaluates, saying what it did on {@code log}; blocking (call it from a plain thread,
     * not an event loop). A failure is reported there and the node keeps running.
     */
    static void send(Vertx vertx, Node node, PrintWriter log) {
        try {
            Map<String, String> done = new DemoReports(vertx, node, log).run();
            if (!done.isEmpty()) {
                log.println("grove serve: demo reports sent (labelled as the demo's on the node): " + done);
            }
        } catch (Exception e) {
            log.println("grove serve: the demo reports were not sent: " + e);
        }
    }

    /**
     * @return what the demo did to which version ({@code promoted}, {@code demoted}, {@code collecting}: a ref each),
     * empty when the node already had demo reports or no version could be promoted
     */
    static Map<String, String> seed(Vertx vertx, Node node, PrintWriter log) throws Exception {
        return new DemoReports(vertx, node, log).run();
    }

    private Map<String, String> run() throws Exception {
        Map<String, String> done = new LinkedHashMap<>();
        if (await(node.pool().query(ANY_DEMO).execute()).size() > 0) {
            log.println("demo reports: already sent on an earlier start; nothing new");
            return done;
        }
        // versions the reports alone can promote: every condition but benefit holds
        List<String[]> promotable = new ArrayList<>();
        List<String[]> others = new ArrayList<>();
        java.util.Set<String> comparesNothing = new java.util.HashSet<>();
        for (Row r : await(node.pool().query(OWN_VERSIONS).execute())) {
            String[] v = {r.getString("namespace") + "/" + r.getString("name") + "@" + r.getString("version"),
                    r.getString("digest")};
            JsonObject explained = await(evaluator.explain(v[1]));
            JsonArray conditions = explained.getJsonArray("conditions", new JsonArray());
            boolean onlyBenefit = !conditions.isEmpty();
            for (int i = 0; i < conditions.size(); i++) {
                JsonObject c = conditions.getJsonObject(i);
                onlyBenefit &= c.getBoolean("met", false) || "benefit".equals(c.getString("name"));
            }
            (onlyBenefit ? promotable : others).add(v);
            if (explained.getJsonObject("evidence", new JsonObject()).getJsonArray("evaluations", new JsonArray())
                    .isEmpty()) {
                comparesNothing.add(v[1]);
            }
        }
        if (promotable.size() < 2) {
            log.println("demo reports: fewer than two demo versions meet every condition but benefit; none sent");
            return done;
        }
        // first those whose benefit rests on the reports alone (no evaluation set shared with a baseline)
        promotable.sort(java.util.Comparator.comparing(v -> !comparesNothing.contains(v[1])));
        issuer = issuerKey();
        String[] promoted = promotable.get(0);
        String[] demoted = promotable.get(1);
        List<String[]> rest = new ArrayList<>(others);
        rest.addAll(promotable.subList(2, promotable.size()));

        // a version users say helps (nine in ten truly helped) until it is promoted
        if (promote(promoted)) {
            done.put("promoted", promoted[0]);
        }
        // another promoted, then as many reports again from users it did not help: its net help falls to about zero
        if (promote(demoted)) {
            int sent = 0;
            String status = "promoted";
            for (int round = 0; round <= RETRIES && !status.equals("experiment"); round++) {
                int n = round == 0 ? batch(minimum) : EXTRA;
                sent += reports(demoted[1], n, 0.1);
                status = evaluate(demoted[1]);
            }
            if (status.equals("experiment")) {
                done.put("demoted", demoted[0]);
            }
            log.println("demo reports: " + demoted[0] + " got " + sent + " reports it did not help; now "
                    + status);
        }
        // below the minimum: the node shows the count only, and benefit stays missing
        if (!rest.isEmpty()) {
            String[] collecting = rest.get(0);
            int n = minimum / 2;
            reports(collecting[1], n, 0.9);
            evaluate(collecting[1]);
            done.put("collecting", collecting[0]);
            log.println("demo reports: " + collecting[0] + " got " + n + " reports, fewer than the minimum of "
                    + minimum + ": still collecting");
        }
        return done;
    }

    /** Reports that it helped until the version is promoted, at most {@link #RETRIES} extra batches. */
    private boolean promote(String[] v) throws Exception {
        int sent = 0;
        String status = status(v[1]);
        for (int round = 0; round <= RETRIES && !status.equals("promoted"); round++) {
            sent += reports(v[1], round == 0 ? batch(minimum) : EXTRA, 0.9);
            status = evaluate(v[1]);
        }
        log.println("demo reports: " + v[0] + " got " + sent + " reports; now " + status);
        return status.equals("promoted");
    }

    /**
     * Evaluates now, then reads the version's status (a round of the node's own evaluator may have made the same
     * decision first: the status is the same either way).
     */
    private String evaluate(String digest) throws Exception {
        await(evaluator.evaluate(digest));
        return status(digest);
    }

    private String status(String digest) throws Exception {
        return await(node.pool().preparedQuery(STATUS).execute(Tuple.of(digest))).iterator().next().getString(0);
    }

    /**
     * Sends {@code n} reports, each a user who truly was helped with probability {@code helpedShare}, and records them
     * as the demo's before the node evaluates them.
     *
     * @return the reports the node accepted
     */
    private int reports(String digest, int n, double helpedShare) throws Exception {
        int accepted = 0;
        for (int i = 0; i < n; i++) {
            boolean truth = random.nextDouble() < helpedShare;
            if (report(digest, truth)) {
                accepted++;
            }
        }
        await(node.pool().preparedQuery(RECORD).execute(Tuple.of(digest, accepted)));
        return accepted;
    }

    /** One report as a browser sends it: a fresh blind-signed token, the randomized answer, a rating and a latency. */
    private boolean report(String digest, boolean truth) throws Exception {
        ReportTokens.Request request = ReportTokens.request(issuer, random::nextBytes);
        HttpResponse<String> signed = post("/v1/reports/tokens",
                new JsonObject().put("blindedMessage", Base64Url.encode(request.blindedMessage())));
        if (signed.statusCode() != 200) {
            throw new IllegalStateException("the node refused a report token (" + signed.statusCode() + "): "
                    + signed.body());
        }
        ReportToken token = request.finish(Base64Url.decode(new JsonObject(signed.body()).getString("blindSignature")));
        boolean answer = RandomizedResponse.standard().randomize(truth, random.nextDouble());
        HttpResponse<String> sent = post("/v1/reports", new JsonObject()
                .put("token", new JsonObject().put("keyId", token.keyId()).put("message", token.messageBase64Url())
                        .put("signature", token.signatureBase64Url()))
                .put("package", digest).put("helped", answer)
                .put("rating", truth ? 4 + random.nextInt(2) : 1 + random.nextInt(2))
                .put("latencyMs", 20 + random.nextInt(60))
                .put("runtime", random.nextInt(4) == 0 ? "js" : "wasm")
                .put("device", random.nextInt(3) == 0 ? "phone" : "desktop"));
        return sent.statusCode() == 202;
    }

    private BlindRsaPublicKey issuerKey() throws Exception {
        HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create(registry + "/v1/reports/issuer"))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonObject doc = new JsonObject(reply.body());
        BlindRsaPublicKey key = BlindRsaPublicKey.fromBytes(Base64Url.decode(doc.getString("n")),
                Base64Url.decode(doc.getString("e")));
        if (!key.keyId().equals(doc.getString("keyId"))) {
            throw new IllegalStateException("the issuer's keyId is not the id of its key");
        }
        return key;
    }

    private HttpResponse<String> post(String path, JsonObject body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(registry + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode()))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }
}
