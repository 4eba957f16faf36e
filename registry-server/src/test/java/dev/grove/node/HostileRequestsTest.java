package dev.grove.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.TestNode;
import dev.grove.node.testing.TestPackage;
import dev.grove.node.witness.WitnessRoutes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route that takes a body, and the reads that take parameters, against malformed, oversized, mistyped and
 * nonsensical input on a real node: each answer is a 4xx problem document (RFC 9457) a user can act on, never a 500,
 * and nothing is stored; the package published before the barrage is served unchanged after it.
 */
class HostileRequestsTest {

    @TempDir
    static Path data;
    static Vertx vertx;
    static Node node;
    static NodeHttp http;

    static final String PROBLEM = "application/problem+json";
    static final String DIGEST = "sha256:" + "ab".repeat(32);

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        node = TestNode.start(vertx, data, Features::all);
        http = new NodeHttp(node.port());
    }

    @AfterAll
    static void stop() {
        TestNode.stop(node, vertx);
    }

    /** Bodies no write route may take; the last is larger than any JSON limit of the node. */
    static Map<String, byte[]> bodies() {
        Map<String, byte[]> b = new LinkedHashMap<>();
        b.put("empty", new byte[0]);
        b.put("truncated", "{\"bundle\": {".getBytes(StandardCharsets.UTF_8));
        b.put("array", "[1, 2, 3]".getBytes(StandardCharsets.UTF_8));
        b.put("null", "null".getBytes(StandardCharsets.UTF_8));
        b.put("number", "12345678901234567890123456789".getBytes(StandardCharsets.UTF_8));
        b.put("wrong types", "{\"bundle\": 7, \"reason\": [], \"change\": true, \"token\": {}, \"package\": 1}"
                .getBytes(StandardCharsets.UTF_8));
        b.put("deep nesting", ("[".repeat(50_000) + "]".repeat(50_000)).getBytes(StandardCharsets.UTF_8));
        b.put("invalid UTF-8", new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'});
        b.put("duplicate keys", "{\"a\": 1, \"a\": 2}".getBytes(StandardCharsets.UTF_8));
        b.put("oversized", ("{\"pad\": \"" + "x".repeat(12 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8));
        return b;
    }

    static List<String> writeRoutes() {
        return List.of("/v1/packages", "/v1/packages/hostile/pkg/versions/1.0.0/yank", "/v1/namespaces/hostile/keyset",
                "/v1/reports/tokens", "/v1/reports");
    }

    static HttpResponse<String> send(String method, String path, String contentType, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
                .timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        // a client per request: the node closes the connection after refusing a body it did not read to the end
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void assertProblem(String what, HttpResponse<String> r) {
        assertThat(r.statusCode()).as(what + ": " + r.body()).isBetween(400, 499);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).as(what).startsWith(PROBLEM);
        JsonObject problem = new JsonObject(r.body());
        assertThat(problem.getInteger("status")).as(what).isEqualTo(r.statusCode());
        assertThat(problem.getString("title")).as(what).isNotBlank();
        assertThat(problem.getString("detail")).as(what + ": a detail a user can act on").isNotBlank();
        assertThat(r.body()).as(what + ": no stack trace").doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void writeRoutesAnswerEveryHostileBodyWithAProblem_andStoreNothing() throws Exception {
        TestPackage kept = TestPackage.builder("keep/langid", "1.0.0").build(Ed25519PrivateKey.generate());
        assertThat(http.publish(kept).status()).isEqualTo(201);
        String before = http.get("/v1/packages/keep/langid/versions/1.0.0").json().getString("digest");
        long versionsBefore = count("SELECT count(*) FROM package_versions");
        long entriesBefore = count("SELECT count(*) FROM log_entries");

        List<String> seen = new ArrayList<>();
        for (String route : writeRoutes()) {
            for (Map.Entry<String, byte[]> body : bodies().entrySet()) {
                HttpResponse<String> r;
                try {
                    r = send("POST", route, "application/json", body.getValue());
                } catch (java.io.IOException e) {
                    throw new AssertionError("POST " + route + " with " + body.getKey() + ": " + e, e);
                }
                assertProblem("POST " + route + " with " + body.getKey(), r);
                seen.add(r.statusCode() + "");
            }
            assertProblem("POST " + route + " as text/plain",
                    send("POST", route, "text/plain", "{}".getBytes(StandardCharsets.UTF_8)));
        }
        assertThat(seen).contains("400", "413");

        assertThat(count("SELECT count(*) FROM package_versions")).isEqualTo(versionsBefore);
        assertThat(count("SELECT count(*) FROM reports")).isZero();
        assertThat(count("SELECT count(*) FROM spent_tokens")).isZero();
        assertThat(count("SELECT count(*) FROM package_versions WHERE yanked")).isZero();
        assertThat(count("SELECT count(*) FROM log_entries")).isEqualTo(entriesBefore);
        assertThat(http.get("/v1/packages/keep/langid/versions/1.0.0").json().getString("digest")).isEqualTo(before);
        assertThat(http.get("/healthz").status()).isEqualTo(200);
    }

    @Test
    void theWitnessEndpointRefusesGarbageWithoutAServerError() throws Exception {
        for (Map.Entry<String, byte[]> body : bodies().entrySet()) {
            HttpResponse<String> r = send("POST", WitnessRoutes.ADD_CHECKPOINT, "text/plain", body.getValue());
            assertThat(r.statusCode()).as("add-checkpoint with " + body.getKey() + ": " + r.body()).isBetween(400, 499);
        }
    }

    @Test
    void readsWithBadParametersAnswerWithAProblem() throws Exception {
        List<String> paths = List.of(
                "/v1/packages/hostile/pkg/versions/not-a-version",
                "/v1/packages/hostile/pkg/versions/1.0.0",
                "/v1/packages/Bad%20Name/pkg",
                "/v1/packages/" + "n".repeat(300) + "/pkg",
                "/v1/digests/sha256:nothex",
                "/v1/digests/" + DIGEST,
                "/v1/blobs/md5:abc",
                "/v1/blobs/" + DIGEST,
                "/v1/lineage/sha256:zz",
                "/v1/lineage/" + DIGEST + "?depth=-1",
                "/v1/lineage/" + DIGEST + "?depth=abc",
                "/v1/search?maxBytes=-5",
                "/v1/search?status=released",
                "/v1/search?limit=100000000000000000000",
                "/v1/search?q=" + "x".repeat(5000),
                "/v1/log/inclusion?index=-1",
                "/v1/log/inclusion?index=abc",
                "/v1/log/consistency?from=5&to=2",
                "/log/tile/0/x999",
                "/log/tile/9/000",
                "/v1/reports/sha256:nothex",
                "/v1/origins/nowhere.example/packages/a/b/versions/1.0.0",
                "/v1/namespaces/" + "%00",
                "/v1/packages/hostile/pkg/versions/1.0.0/release");
        for (String path : paths) {
            assertProblem("GET " + (path.length() > 100 ? path.substring(0, 100) + "..." : path),
                    send("GET", path, null, new byte[0]));
        }
    }

    @Test
    void oversizedHeadersGetAProblemToo() throws Exception {
        HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/v1/search"))
                        .header("X-Padding", "p".repeat(20_000)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertProblem("GET /v1/search with 20 kB of headers", r);
        assertThat(r.statusCode()).isEqualTo(431);
    }

    static long count(String sql) {
        return TestNode.await(node.pool().query(sql).execute()).iterator().next().getLong(0);
    }
}
