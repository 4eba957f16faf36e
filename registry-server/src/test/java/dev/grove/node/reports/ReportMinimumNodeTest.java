package dev.grove.node.reports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.node.Node;
import dev.grove.node.feature.NodeServices;
import dev.grove.node.log.NodeLog;
import dev.grove.node.release.Decision;
import dev.grove.node.release.Release;
import dev.grove.node.release.ReleaseEvaluator;
import dev.grove.node.release.ReleasePolicy;
import dev.grove.node.release.Status;
import dev.grove.node.testing.Eventually;
import dev.grove.node.testing.NodeFixture;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.TestNode;
import dev.grove.node.testing.TestPackage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No figure computed from fewer reports than the node's minimum, on any route that shows a version or its reports: the
 * version documents (by version, by digest, {@code latest}, the version list), the release route, the reports route,
 * search, lineage, the namespace, the signed decisions those documents carry, and a mirror's copies of all of it. Real
 * nodes (fresh PostgreSQL, loopback), reports sent with real blind-signed tokens, the release evaluator run by hand.
 *
 * <p>The node's minimum is not the default, so the test also shows that every route holds to the one setting.
 */
class ReportMinimumNodeTest {

    static final int MINIMUM = 12;
    /** Distinctive latencies (ms), so that any trace of them in a body can be searched for. */
    static final int CHILD_LATENCY = 3_217_489;
    static final int PARENT_LATENCY = 2_968_153;
    /** Member names of figures computed from reports. */
    static final Pattern FIGURE = Pattern.compile("(?i)helped.*|.*latency.*|.*rating.*|median|mean|p\\d+|.*percentile.*"
            + "|.*interval.*|estimate|net-?help.*|firstday|lastday|byruntime|bydevice|keepprobability");
    static final Ed25519PrivateKey KEY = Ed25519PrivateKey.generate();
    static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    static Path originData;
    @TempDir
    static Path mirrorData;
    static NodeFixture nodes;
    static Node origin;
    static Node mirror;
    static NodeHttp http;
    static NodeHttp mirrorHttp;
    static ReportClient client;
    static ReleaseEvaluator evaluator;
    static String logOrigin;

    @BeforeAll
    static void start() {
        nodes = new NodeFixture();
        origin = nodes.start(TestNode.config(originData)
                .withRelease(ReleasePolicy.defaults().withInterval(Duration.ofHours(1)))
                .withReports(ReportSettings.defaults().withMinimumReports(MINIMUM).withTokenLimit(1000, 1000)));
        http = new NodeHttp(origin.port());
        client = new ReportClient(http);
        NodeServices services = origin.services();
        evaluator = Release.open(services, NodeLog.open(services), origin.config().release(), origin.config().reports().minimumReports()).evaluator();
        logOrigin = http.get("/.well-known/grove/node").json().getString("logOrigin");
        mirror = nodes.start(TestNode.config(mirrorData).withPeers(List.of("http://127.0.0.1:" + origin.port()))
                .withFollowInterval(Duration.ofMillis(100)));
        mirrorHttp = new NodeHttp(mirror.port());
    }

    @AfterAll
    static void stop() {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void belowTheMinimumEveryRouteShowsTheCountAlone_fromItTheFiguresAppear() {
        TestPackage parent = publish(TestPackage.builder("quiet/base", "1.0.0").weights(new byte[1024])
                .accuracy(0.9, 600));
        TestPackage child = publish(TestPackage.builder("quiet/small", "1.0.0").weights(new byte[256])
                .accuracy(0.9, 600).parent("distill", parent.digest(), "quiet/base@1.0.0"));
        String childDigest = child.digest().toString();
        String parentDigest = parent.digest().toString();
        await("the mirror to copy both versions", () -> mirrorHttp.get(mirrored("quiet/small", "1.0.0")).status() == 200
                && mirrorHttp.get(mirrored("quiet/base", "1.0.0")).status() == 200);

        int sent = 0;
        for (int target : List.of(1, MINIMUM - 1)) {
            for (; sent < target; sent++) {
                send(childDigest, CHILD_LATENCY, sent);
                send(parentDigest, PARENT_LATENCY, sent);
            }
            assertThat(TestNode.await(evaluator.evaluate(childDigest))).isEmpty();
            assertThat(TestNode.await(evaluator.evaluate(parentDigest))).isEmpty();

            Map<String, String> bodies = walk(childDigest, parentDigest);
            for (Map.Entry<String, String> body : bodies.entrySet()) {
                String where = body.getKey() + " with " + target + " of " + MINIMUM + " reports";
                assertThat(body.getValue()).as(where).doesNotContain(String.valueOf(CHILD_LATENCY))
                        .doesNotContain(String.valueOf(PARENT_LATENCY));
                assertThat(figures(new JsonObject(body.getValue()), "")).as(where).isEmpty();
            }
            for (String digest : List.of(childDigest, parentDigest)) {
                JsonObject summary = http.get("/v1/reports/" + digest).json();
                assertThat(summary.fieldNames()).containsExactlyInAnyOrder("package", "count", "minimum", "shown");
                assertThat(summary.getLong("count")).isEqualTo(target);
                assertThat(summary.getInteger("minimum")).isEqualTo(MINIMUM);
            }
            JsonObject evaluation = http.get("/v1/packages/quiet/small/versions/1.0.0/release").json()
                    .getJsonObject("evaluation");
            JsonObject reports = evaluation.getJsonObject("evidence").getJsonObject("reports");
            assertThat(reports.fieldNames()).containsExactlyInAnyOrder("count", "minimum", "shown", "epsilon",
                    "confidence");
            assertThat(reports.getLong("count")).isEqualTo(target);
            assertThat(reports.getLong("minimum")).isEqualTo(MINIMUM);
            assertThat(reports.getBoolean("shown")).isFalse();
            JsonObject resources = evaluation.getJsonObject("evidence").getJsonObject("resources");
            assertThat(resources.getJsonObject("candidate").fieldNames()).containsExactlyInAnyOrder("bytes", "parameters");
            assertThat(resources.getJsonObject("baseline").fieldNames()).containsExactlyInAnyOrder("bytes", "parameters");
            // one minimum: the one the reports route, the issuer document and the release rule all state
            assertThat(evaluation.getJsonObject("policy").getLong("minReports")).isEqualTo(MINIMUM);
            assertThat(http.get("/v1/reports/issuer").json().getInteger("minimumReports")).isEqualTo(MINIMUM);
            String need = "benefit: " + target + (target == 1 ? " report" : " reports") + ", need " + MINIMUM;
            JsonObject benefit = condition(evaluation.getJsonArray("conditions"), "benefit");
            assertThat(benefit.getString("reason")).isEqualTo(need);
            assertThat(benefit.getString("measure")).isEqualTo("reports");
            assertThat(benefit.getDouble("value")).isEqualTo(target);
            JsonObject stored = http.get("/v1/packages/quiet/small/versions/1.0.0").json().getJsonObject("release");
            assertThat(stored.getBoolean("evaluated")).isTrue();
            assertThat(condition(stored.getJsonArray("conditions"), "benefit").getString("reason")).isEqualTo(need);
        }

        // the minimum for the child, one short of it still for its parent
        for (; sent < MINIMUM; sent++) {
            send(childDigest, CHILD_LATENCY, sent);
        }
        Decision promotion = TestNode.await(evaluator.evaluate(childDigest)).orElseThrow();
        assertThat(promotion.status()).isEqualTo(Status.PROMOTED);
        assertThat(TestNode.await(evaluator.evaluate(parentDigest))).isEmpty();
        await("the mirror to show the promotion", () -> "promoted".equals(
                mirrorHttp.get(mirrored("quiet/small", "1.0.0")).json().getString("status")));

        Map<String, String> bodies = walk(childDigest, parentDigest);
        Map<String, List<String>> shown = new LinkedHashMap<>();
        for (Map.Entry<String, String> body : bodies.entrySet()) {
            assertThat(body.getValue()).as(body.getKey() + ": the parent's reports are still too few")
                    .doesNotContain(String.valueOf(PARENT_LATENCY));
            List<String> found = figures(new JsonObject(body.getValue()), "");
            if (!found.isEmpty()) {
                shown.put(body.getKey(), found);
            }
        }
        // the child's figures are on its release route, its reports, and in the decision its documents carry
        assertThat(shown.keySet()).as(shown.toString()).contains(
                "origin /v1/packages/quiet/small/versions/1.0.0/release",
                "origin /v1/reports/" + childDigest,
                "origin /v1/packages/quiet/small/versions/1.0.0",
                "origin /v1/packages/quiet/small/versions/latest",
                "origin /v1/digests/" + childDigest,
                "mirror " + mirrored("quiet/small", "1.0.0"));
        assertThat(shown.keySet()).as("nothing about the parent shows a figure").noneMatch(k -> k.contains("quiet/base")
                || k.contains(parentDigest));
        assertThat(bodies.get("origin /v1/packages/quiet/small/versions/1.0.0/release"))
                .contains(String.valueOf(CHILD_LATENCY));
        JsonObject summary = http.get("/v1/reports/" + childDigest).json();
        assertThat(summary.getBoolean("shown")).isTrue();
        assertThat(summary.getJsonObject("helped").fieldNames()).contains("estimate", "low", "high");
        assertThat(summary.getJsonObject("latencyMs").getLong("median")).isEqualTo(CHILD_LATENCY);
        JsonObject evidence = http.get("/v1/packages/quiet/small/versions/1.0.0/release").json()
                .getJsonObject("evaluation").getJsonObject("evidence");
        assertThat(evidence.getJsonObject("reports").getLong("helpedYes")).isEqualTo(MINIMUM);
        assertThat(evidence.getJsonObject("reports").getDouble("latencyMedianMs")).isEqualTo(CHILD_LATENCY);
        assertThat(evidence.getJsonObject("reports").getJsonObject("netHelp").getDouble("low")).isGreaterThan(0);
        assertThat(evidence.getJsonObject("resources").getJsonObject("candidate").getDouble("latencyMedianMs"))
                .isEqualTo(CHILD_LATENCY);
        assertThat(evidence.getJsonObject("resources").getJsonObject("baseline").fieldNames())
                .containsExactlyInAnyOrder("bytes", "parameters");
        // the signed decision cites the child's figures and nothing of its parent's reports
        for (NodeHttp node : List.of(http, mirrorHttp)) {
            String path = node == http ? "/v1/packages/quiet/small/versions/1.0.0" : mirrored("quiet/small", "1.0.0");
            JsonObject cited = decoded(node.get(path).json().getJsonObject("release").getJsonObject("decision")
                    .getJsonObject("envelope"));
            JsonObject citedReports = cited.getJsonObject("evidence").getJsonObject("reports");
            assertThat(citedReports.getLong("count")).isEqualTo(MINIMUM);
            assertThat(citedReports.getLong("helpedYes")).isEqualTo(MINIMUM);
            assertThat(citedReports.getDouble("latencyMedianMs")).isEqualTo(CHILD_LATENCY);
            assertThat(cited.getJsonObject("evidence").getJsonObject("resources").getJsonObject("baseline").fieldNames())
                    .containsExactlyInAnyOrder("bytes", "parameters");
            assertThat(condition(cited.getJsonArray("conditions"), "efficiency").getString("reason"))
                    .doesNotContain("latency " + PARENT_LATENCY).doesNotContain("median latency");
            assertThat(cited.encode()).doesNotContain(String.valueOf(PARENT_LATENCY));
        }
    }

    /** Every route that shows either version or its reports, on the origin and on the mirror: its body by route. */
    private static Map<String, String> walk(String child, String parent) {
        List<String> local = new ArrayList<>();
        List<String> copies = new ArrayList<>();
        for (String name : List.of("quiet/small", "quiet/base")) {
            local.add("/v1/packages/" + name + "/versions/1.0.0");
            local.add("/v1/packages/" + name + "/versions/latest");
            local.add("/v1/packages/" + name + "/versions/1.0.0/release");
            local.add("/v1/packages/" + name);
            copies.add(mirrored(name, "1.0.0"));
            copies.add(mirrored(name, "latest"));
        }
        for (String digest : List.of(child, parent)) {
            for (String path : List.of("/v1/digests/" + digest, "/v1/reports/" + digest, "/v1/lineage/" + digest)) {
                local.add(path);
                copies.add(path);
            }
        }
        for (String path : List.of("/v1/search?q=quiet", "/v1/search?q=quiet&status=promoted", "/v1/search")) {
            local.add(path);
            copies.add(path);
        }
        local.add("/v1/namespaces/quiet");
        copies.add("/v1/origins/" + URLEncoder.encode(logOrigin, StandardCharsets.UTF_8) + "/namespaces/quiet");
        Map<String, String> bodies = new LinkedHashMap<>();
        for (String path : local) {
            bodies.put("origin " + path, body(http, path));
        }
        for (String path : copies) {
            bodies.put("mirror " + path, body(mirrorHttp, path));
        }
        return bodies;
    }

    private static String body(NodeHttp node, String path) {
        NodeHttp.Reply reply = node.get(path);
        assertThat(reply.status()).as(path + ": " + reply.body()).isEqualTo(200);
        return reply.body();
    }

    /**
     * The members, anywhere in {@code json} (the payloads of the DSSE envelopes in it decoded and searched too), whose
     * name is that of a figure computed from reports and whose value is not null, as {@code path=value}.
     */
    static List<String> figures(Object json, String path) {
        List<String> out = new ArrayList<>();
        if (json instanceof JsonObject o) {
            for (String name : o.fieldNames()) {
                Object value = o.getValue(name);
                String at = path + "." + name;
                if (value != null && FIGURE.matcher(name).matches()) {
                    out.add(at + "=" + value);
                }
                if (name.equals("payload") && value instanceof String s && o.containsKey("payloadType")) {
                    decodedJson(s).ifPresent(payload -> out.addAll(figures(payload, at + "(decoded)")));
                } else {
                    out.addAll(figures(value, at));
                }
            }
        } else if (json instanceof JsonArray a) {
            for (int i = 0; i < a.size(); i++) {
                out.addAll(figures(a.getValue(i), path + "[" + i + "]"));
            }
        }
        return out;
    }

    private static Optional<Object> decodedJson(String base64) {
        try {
            String text = new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8).strip();
            return Optional.of(text.startsWith("[") ? new JsonArray(text) : new JsonObject(text));
        } catch (RuntimeException notJson) {
            return Optional.empty();
        }
    }

    private static JsonObject decoded(JsonObject envelope) {
        return (JsonObject) decodedJson(envelope.getString("payload")).orElseThrow();
    }

    private static JsonObject condition(JsonArray conditions, String name) {
        return conditions.stream().map(JsonObject.class::cast).filter(c -> c.getString("name").equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no condition " + name + " in " + conditions));
    }

    private static String mirrored(String name, String version) {
        return "/v1/origins/" + URLEncoder.encode(logOrigin, StandardCharsets.UTF_8) + "/packages/" + name
                + "/versions/" + version;
    }

    /** The i-th report of a version: helped, rated, with the given latency, over a few runtimes and devices. */
    private static void send(String digest, int latencyMs, int i) {
        String[] runtimes = {"wasm", "js", "jvm"};
        String[] devices = {"phone", "tablet", "desktop", "other"};
        JsonObject report = ReportClient.report(client.token(), digest, true, runtimes[i % 3], devices[i % 4])
                .put("latencyMs", latencyMs);
        NodeHttp.Reply reply = client.send(report);
        assertThat(reply.status()).as(reply.body()).isEqualTo(202);
    }

    private static TestPackage publish(TestPackage.Builder builder) {
        TestPackage pkg = builder.build(KEY);
        NodeHttp.Reply reply = http.publish(pkg);
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return pkg;
    }

    private static void await(String what, BooleanSupplier condition) {
        Eventually.await(DEADLINE, condition::getAsBoolean, what);
    }
}
