package dev.grove.node.reports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.blind.Base64Url;
import dev.grove.node.Features;
import dev.grove.node.Node;
import dev.grove.node.health.NodeMetrics;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.TestNode;
import dev.grove.reports.ReportTokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token issuance beyond the per-client burst is refused with 429 and a Retry-After, and counted. */
class ReportRateLimitTest {

    @TempDir
    static Path data;
    static Vertx vertx;
    static Node node;

    @BeforeAll
    static void start() {
        vertx = NodeMetrics.createVertx();
        node = TestNode.start(vertx, TestNode.config(data)
                .withReports(ReportSettings.defaults().withTokenLimit(3, 60)), Features::all);
    }

    @AfterAll
    static void stop() {
        TestNode.stop(node, vertx);
    }

    @Test
    void beyondTheBurst_429WithRetryAfter() throws Exception {
        NodeHttp http = new NodeHttp(node.port());
        ReportClient client = new ReportClient(http);
        for (int i = 0; i < 3; i++) {
            client.token();
        }
        ReportTokens.Request request = ReportTokens.request(client.issuer, new SecureRandom()::nextBytes);
        HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + node.port() + "/v1/reports/tokens"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject()
                        .put("blindedMessage", Base64Url.encode(request.blindedMessage())).encode()))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 60L);
        assertThat(new JsonObject(refused.body()).getString("detail"))
                .isEqualTo("too many report tokens asked from this address; ask again in " + retryAfter + " s");
        assertThat(http.get("/metrics").body()).contains("grove_report_tokens_rate_limited_total 1.0");
    }
}
