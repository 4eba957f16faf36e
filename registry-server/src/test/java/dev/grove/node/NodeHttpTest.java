package dev.grove.node;

import dev.grove.node.feature.Feature;
import dev.grove.node.feature.RouteModule;
import static dev.grove.node.testing.TestNode.await;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.grove.node.health.NodeMetrics;
import dev.grove.node.http.ProblemException;
import dev.grove.node.testing.Eventually;
import dev.grove.node.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The node's own HTTP behaviour: errors as problem+json, limits, health, metrics, CORS, the static site, access logs. */
class NodeHttpTest {

    private static final long MAX_JSON_BYTES = 1000;

    @TempDir
    static Path data;
    @TempDir
    static Path site;
    static Vertx vertx;
    static Node node;
    static final HttpClient http = HttpClient.newHttpClient();
    static final ListAppender<ILoggingEvent> accessLog = new ListAppender<>();

    /** Routes that exercise the failure paths, mounted like a feature. */
    static final RouteModule TEST_ROUTES = (router, json) -> {
        router.get("/v1/test/boom").handler(ctx -> {
            throw new IllegalStateException("secret internal detail");
        });
        router.post("/v1/test/echo").handler(json).handler(ctx -> ctx.response()
                .putHeader("Content-Type", "application/json")
                .end(ctx.body().asJsonObject().encode()));
        router.get("/v1/test/conflict").handler(ctx -> ctx.fail(
                ProblemException.conflict("demo/langid@1.0.0 is already published with other content")
                        .with("field", "contract")));
    };

    @BeforeAll
    static void start() throws Exception {
        Files.writeString(site.resolve("index.html"), "<!doctype html><title>Grove</title>");
        vertx = NodeMetrics.createVertx();
        node = TestNode.start(vertx, TestNode.config(data).withMaxJsonBytes(MAX_JSON_BYTES).withSiteDir(site),
                (nodeConfig, services) -> List.of(Feature.of(TEST_ROUTES)));
        Logger logger = (Logger) LoggerFactory.getLogger("grove.access");
        accessLog.start();
        logger.addAppender(accessLog);
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger("grove.access")).detachAppender(accessLog);
        TestNode.stop(node, vertx);
    }

    static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path));
    }

    /** A request whose body is JSON, as a JSON route requires. */
    static HttpRequest.Builder json(String path) {
        return request(path).header("Content-Type", "application/json");
    }

    static JsonObject problem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonObject problem = new JsonObject(response.body());
        assertThat(problem.getInteger("status")).isEqualTo(status);
        assertThat(problem.getString("title")).isNotBlank();
        assertThat(problem.getString("type")).isEqualTo("about:blank");
        return problem;
    }

    @Test
    void anUnknownRouteIs404Problem() {
        JsonObject problem = problem(send(request("/v1/nothing/here")), 404);
        assertThat(problem.getString("title")).isEqualTo("Not Found");
        assertThat(problem.getString("detail")).isEqualTo("there is nothing at /v1/nothing/here");
    }

    @Test
    void aWrongMethodIs405Problem() {
        JsonObject problem = problem(send(request("/healthz").DELETE()), 405);
        assertThat(problem.getString("detail")).isEqualTo("DELETE is not allowed on /healthz");
    }

    @Test
    void aProblemExceptionIsSentAsItIs() {
        JsonObject problem = problem(send(request("/v1/test/conflict")), 409);
        assertThat(problem.getString("detail")).isEqualTo("demo/langid@1.0.0 is already published with other content");
        assertThat(problem.getString("field")).isEqualTo("contract");
    }

    @Test
    void anUnexpectedFailureIs500WithAnErrorIdAndNoInternals() {
        HttpResponse<String> response = send(request("/v1/test/boom"));
        JsonObject problem = problem(response, 500);
        assertThat(problem.getString("errorId")).matches("[0-9a-f]{12}");
        assertThat(problem.getString("detail")).endsWith(problem.getString("errorId"));
        assertThat(response.body()).doesNotContain("secret", "IllegalStateException", "at dev.");
    }

    @Test
    void jsonBodiesAreLimitedAndMustParse() {
        HttpResponse<String> ok = send(json("/v1/test/echo").POST(BodyPublishers.ofString("{\"a\":1}")));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(ok.body()).getInteger("a")).isEqualTo(1);

        char[] big = new char[(int) MAX_JSON_BYTES + 10];
        Arrays.fill(big, ' ');
        JsonObject tooLarge = problem(send(json("/v1/test/echo").POST(BodyPublishers.ofString("{" + new String(big) + "}"))),
                413);
        assertThat(tooLarge.getString("detail"))
                .isEqualTo("the request body is larger than the " + MAX_JSON_BYTES + " bytes this route accepts");

        String twoMebibytes = "{\"pad\":\"" + "x".repeat(2 << 20) + "\"}"; // more than socket buffers hold
        problem(send(json("/v1/test/echo").POST(BodyPublishers.ofString(twoMebibytes))), 413);
        assertThat(send(request("/healthz")).statusCode()).isEqualTo(200);

        JsonObject malformed = problem(send(json("/v1/test/echo").POST(BodyPublishers.ofString("{\"a\":"))), 400);
        assertThat(malformed.getString("detail")).isEqualTo("the request body is not valid JSON");

        JsonObject untyped = problem(send(request("/v1/test/echo").POST(BodyPublishers.ofString("{\"a\":1}"))), 415);
        assertThat(untyped.getString("detail")).isEqualTo("send the body as application/json (the request has no "
                + "Content-Type)");
    }

    @Test
    void healthzChecksTheDatabase() {
        HttpResponse<String> response = send(request("/healthz"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(response.body()))
                .isEqualTo(new JsonObject().put("status", "UP").put("database", "UP"));
    }

    @Test
    void metricsAreLabelledByRouteNotByPath() {
        send(request("/healthz"));
        send(request("/v1/blobs/sha256:" + "ab".repeat(32)));
        HttpResponse<String> metrics = send(request("/metrics"));
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(metrics.body())
                .contains("vertx_http_server_requests_total{")
                .contains("route=\"/healthz\"")
                .contains("route=\"/v1/blobs/:digest\"")
                .contains("jvm_memory_used_bytes")
                .doesNotContain("abababab");
    }

    @Test
    void browsersOnOtherOriginsMayGetV1ButWithoutCredentials() {
        HttpResponse<String> preflight = send(request("/v1/blobs/sha256:" + "00".repeat(32))
                .method("OPTIONS", BodyPublishers.noBody())
                .header("Origin", "https://site.example")
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "range"));
        assertThat(preflight.statusCode()).isIn(200, 204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("GET");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
    }

    @Test
    void theStaticSiteIsServedAtTheRoot() {
        HttpResponse<String> index = send(request("/"));
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).contains("<title>Grove</title>");
        assertThat(index.headers().firstValue("Cache-Control").orElse("")).contains("max-age=300");
        problem(send(request("/missing.html")), 404);
    }

    @Test
    void theAccessLogHasNoClientAddressHeadersOrQuery() {
        accessLog.list.clear();
        send(request("/healthz?q=something-private").header("Authorization", "Bearer secret-token")
                .header("User-Agent", "agent-smith"));
        // the line is written when the response has ended, just after the client has it
        Eventually.await(Eventually.PATIENCE, () -> !accessLog.list.isEmpty(), "an access log line for /healthz");
        List<String> lines = List.copyOf(accessLog.list).stream()
                .map(e -> e.getFormattedMessage() + " " + Arrays.toString(e.getArgumentArray()))
                .toList();
        assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("GET /healthz 200"));
        assertThat(String.join("\n", lines))
                .doesNotContain("127.0.0.1", "secret-token", "something-private", "agent-smith", "Bearer");
    }
}
