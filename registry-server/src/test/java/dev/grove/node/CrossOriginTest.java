package dev.grove.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.crypto.Sha256;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.TestNode;
import dev.grove.node.testing.TestPackage;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a page on another origin may do with a real node: read anything, whatever its {@code Origin} header says, and send
 * reports; nothing else. A "simple" cross-origin POST (which a browser sends without asking first) to a write route is
 * refused before it is read, a pre-flight for a write is not granted, and neither answer carries an
 * {@code Access-Control-Allow-Origin}.
 */
class CrossOriginTest {

    @TempDir
    static Path data;
    static Vertx vertx;
    static Node node;
    static NodeHttp http;
    static final Ed25519PrivateKey KEY = Ed25519PrivateKey.generate();
    static final String EVIL = "https://evil.example";

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        node = TestNode.start(vertx, data, Features::all);
        http = new NodeHttp(node.port());
        assertThat(http.publish(TestPackage.builder("cors/model", "1.0.0").build(KEY)).status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        TestNode.stop(node, vertx);
    }

    static HttpResponse<String> send(String method, String path, Map<String, String> headers, byte[] body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
                .timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String allowOrigin(HttpResponse<String> r) {
        return r.headers().firstValue("Access-Control-Allow-Origin").orElse("");
    }

    @Test
    void anOriginThatIsNotAnOriginIsNoReasonToRefuseARead() throws Exception {
        for (String origin : List.of("chrome-extension://abc", "a", "file://", "null", "http://[::1", "%%", "https://ok.example")) {
            for (String path : List.of("/v1/search", "/v1/packages/cors/model", "/log/checkpoint",
                    "/.well-known/grove/node", "/v1/reports/issuer")) {
                HttpResponse<String> r = send("GET", path, Map.of("Origin", origin), new byte[0]);
                assertThat(r.statusCode()).as("GET " + path + " from " + origin + ": " + r.body()).isEqualTo(200);
                assertThat(allowOrigin(r)).as("GET " + path + " from " + origin).isEqualTo("*");
            }
        }
        HttpResponse<String> preflight = send("OPTIONS", "/v1/blobs/sha256:" + "ab".repeat(32), Map.of("Origin", "a",
                "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "Range"), new byte[0]);
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(allowOrigin(preflight)).isEqualTo("*");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
    }

    @Test
    void simpleCrossOriginPostsToWriteRoutesAreRefusedAndStoreNothing() throws Exception {
        TestPackage next = TestPackage.builder("cors/model", "1.0.1").build(KEY);
        http.putBlob(next.weights());
        byte[] bundle = next.bundleJson().getBytes(StandardCharsets.UTF_8);
        long versions = count("SELECT count(*) FROM package_versions");
        long entries = count("SELECT count(*) FROM log_entries");
        Map<String, byte[]> writes = Map.of(
                "/v1/packages", bundle,
                "/v1/packages/cors/model/versions/1.0.0/yank", "{}".getBytes(StandardCharsets.UTF_8),
                "/v1/namespaces/cors/keyset", "{}".getBytes(StandardCharsets.UTF_8),
                "/witness/add-checkpoint", "old 0\n\nx\n".getBytes(StandardCharsets.UTF_8));
        for (Map.Entry<String, byte[]> write : writes.entrySet()) {
            for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=b",
                    "application/json")) {
                HttpResponse<String> r = send("POST", write.getKey(), Map.of("Origin", EVIL, "Content-Type", type),
                        write.getValue());
                assertThat(r.statusCode()).as("POST " + write.getKey() + " as " + type + ": " + r.body()).isEqualTo(403);
                assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
                assertThat(new JsonObject(r.body()).getString("detail")).contains("another origin");
                assertThat(allowOrigin(r)).as("POST " + write.getKey() + " as " + type).isEmpty();
            }
        }
        HttpResponse<String> upload = send("PUT", "/v1/blobs/" + Sha256.of(new byte[] {1, 2, 3}),
                Map.of("Origin", EVIL, "Content-Type", "application/octet-stream"), new byte[] {1, 2, 3});
        assertThat(upload.statusCode()).isEqualTo(403);
        assertThat(allowOrigin(upload)).isEmpty();
        assertThat(http.get("/v1/blobs/" + Sha256.of(new byte[] {1, 2, 3})).status()).isEqualTo(404);

        assertThat(count("SELECT count(*) FROM package_versions")).isEqualTo(versions);
        assertThat(count("SELECT count(*) FROM log_entries")).isEqualTo(entries);
        assertThat(http.get("/v1/packages/cors/model/versions/1.0.1").status()).isEqualTo(404);
    }

    @Test
    void preflightsForWritesAreNotGranted() throws Exception {
        Map<String, String> writes = Map.of(
                "/v1/packages", "POST",
                "/v1/packages/cors/model/versions/1.0.0/yank", "POST",
                "/v1/namespaces/cors/keyset", "POST",
                "/v1/blobs/sha256:" + "ab".repeat(32), "PUT",
                "/witness/add-checkpoint", "POST",
                "/v1/search", "DELETE");
        for (Map.Entry<String, String> write : writes.entrySet()) {
            HttpResponse<String> r = send("OPTIONS", write.getKey(), Map.of("Origin", EVIL,
                    "Access-Control-Request-Method", write.getValue(), "Access-Control-Request-Headers", "content-type"),
                    new byte[0]);
            assertThat(r.statusCode()).as("pre-flight of " + write.getValue() + " " + write.getKey()).isEqualTo(403);
            assertThat(allowOrigin(r)).as("pre-flight of " + write.getValue() + " " + write.getKey()).isEmpty();
            assertThat(r.headers().firstValue("Access-Control-Allow-Methods")).isEmpty();
        }
        HttpResponse<String> extraHeader = send("OPTIONS", "/v1/search", Map.of("Origin", EVIL,
                "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "x-secret"), new byte[0]);
        assertThat(extraHeader.statusCode()).isEqualTo(403);
        assertThat(allowOrigin(extraHeader)).isEmpty();
    }

    @Test
    void reportsStayOpenToPagesOnOtherOrigins() throws Exception {
        for (String path : List.of("/v1/reports", "/v1/reports/tokens")) {
            HttpResponse<String> preflight = send("OPTIONS", path, Map.of("Origin", EVIL,
                    "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "Content-Type"), new byte[0]);
            assertThat(preflight.statusCode()).as(path).isEqualTo(204);
            assertThat(allowOrigin(preflight)).isEqualTo("*");
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("POST");
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase())
                    .contains("content-type");
        }
        HttpResponse<String> token = send("POST", "/v1/reports/tokens", Map.of("Origin", EVIL,
                "Content-Type", "application/json"), "{\"blindedMessage\": 7}".getBytes(StandardCharsets.UTF_8));
        assertThat(token.statusCode()).as("processed, and refused for its content: " + token.body()).isEqualTo(400);
        assertThat(allowOrigin(token)).isEqualTo("*");
    }

    @Test
    void theNodesOwnPagesAndToolsWithoutAnOriginMayWrite() throws Exception {
        TestPackage own = TestPackage.builder("cors/own", "1.0.0").build(KEY);
        http.putBlob(own.weights());
        HttpResponse<String> sameOrigin = send("POST", "/v1/packages", Map.of("Origin", "http://127.0.0.1:" + node.port(),
                "Content-Type", "application/json"), own.bundleJson().getBytes(StandardCharsets.UTF_8));
        assertThat(sameOrigin.statusCode()).as(sameOrigin.body()).isEqualTo(201);
        TestPackage cli = TestPackage.builder("cors/cli", "1.0.0").build(KEY);
        assertThat(http.publish(cli).status()).isEqualTo(201);
    }

    static long count(String sql) {
        return TestNode.await(node.pool().query(sql).execute()).iterator().next().getLong(0);
    }
}
