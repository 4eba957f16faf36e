package dev.grove.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.node.Features;
import dev.grove.node.Node;
import dev.grove.node.health.NodeMetrics;
import dev.grove.node.testing.Eventually;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.TestNode;
import dev.grove.node.testing.TestPackage;
import io.vertx.core.Vertx;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The documents that change rarely, read conditionally over real HTTP: each carries a strong ETag of its exact bytes
 * and the cache policy it should, an {@code If-None-Match} naming it is answered 304 with no body (and the same ETag),
 * one naming another tag gets the document. One node publishes; a second follows it and serves its copy.
 */
class ConditionalReadsTest {

    static final Duration DEADLINE = Duration.ofSeconds(60);
    static final String REVALIDATE = "no-cache";
    static final String IDENTITY = "public, max-age=300";

    @TempDir
    static Path dataA;
    @TempDir
    static Path dataB;
    static Vertx vertx;
    static Node origin;
    static Node mirror;
    static NodeHttp http;
    static NodeHttp mirrorHttp;
    static TestPackage pkg;
    static String logOrigin;

    @BeforeAll
    static void start() {
        vertx = NodeMetrics.createVertx();
        origin = TestNode.start(vertx, dataA, Features::all);
        http = new NodeHttp(origin.port());
        pkg = TestPackage.builder("cond/model", "1.0.0").build(Ed25519PrivateKey.generate());
        assertThat(http.publish(pkg).status()).isIn(200, 201);
        logOrigin = http.get("/.well-known/grove/node").json().getString("logOrigin");
        Eventually.await(DEADLINE, () -> http.get("/log/checkpoint").status() == 200, "the origin's first checkpoint");
        mirror = TestNode.start(vertx, TestNode.config(dataB).withPeers(List.of("http://127.0.0.1:" + origin.port()))
                .withFollowInterval(Duration.ofMillis(100)), Features::all);
        mirrorHttp = new NodeHttp(mirror.port());
        Eventually.await(DEADLINE, () -> mirrorHttp.get(mirrored("/namespaces/cond")).status() == 200,
                "the mirror's copy of the namespace");
    }

    @AfterAll
    static void stop() {
        TestNode.await(mirror.stop());
        TestNode.stop(origin, vertx);
    }

    static String mirrored(String path) {
        return "/v1/origins/" + URLEncoder.encode(logOrigin, StandardCharsets.UTF_8) + path;
    }

    /** Which node, the path, and the Cache-Control it must carry. */
    static Stream<Arguments> routes() {
        return Stream.of(
                Arguments.of("origin", "/log/checkpoint", REVALIDATE, "text/plain; charset=utf-8"),
                Arguments.of("origin", "/v1/namespaces/cond", REVALIDATE, "application/json"),
                Arguments.of("origin", "/v1/lineage/" + pkg.digest(), REVALIDATE, "application/json"),
                Arguments.of("origin", "/v1/packages/cond/model/versions/1.0.0/release", REVALIDATE,
                        "application/json"),
                Arguments.of("origin", "/v1/reports/" + pkg.digest(), REVALIDATE, "application/json"),
                Arguments.of("origin", "/v1/reports/issuer", IDENTITY, "application/json"),
                Arguments.of("origin", "/.well-known/grove/node", IDENTITY, "application/json"),
                Arguments.of("origin", "/.well-known/grove/log-key", IDENTITY, "text/plain; charset=utf-8"),
                Arguments.of("origin", "/.well-known/grove/witness-key", IDENTITY, "text/plain; charset=utf-8"),
                Arguments.of("mirror", mirrored("/log/checkpoint"), REVALIDATE, "text/plain; charset=utf-8"),
                Arguments.of("mirror", mirrored("/namespaces/cond"), REVALIDATE, "application/json"));
    }

    static NodeHttp node(String which) {
        return which.equals("origin") ? http : mirrorHttp;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("routes")
    void aStrongEtagOfTheExactBytes_and304WhenItIsCurrent(String which, String path, String cacheControl,
                                                           String contentType) {
        NodeHttp node = node(which);
        HttpResponse<String> full = node.getWith(path);
        assertThat(full.statusCode()).as(full.body()).isEqualTo(200);
        String etag = full.headers().firstValue("ETag").orElseThrow();
        assertThat(etag).isEqualTo(strong(full.body()));
        assertThat(full.headers().firstValue("Cache-Control")).contains(cacheControl);
        assertThat(full.headers().firstValue("Content-Type")).contains(contentType);

        HttpResponse<String> again = node.getWith(path, "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(again.headers().firstValue("ETag")).contains(etag);
        assertThat(again.headers().firstValue("Cache-Control")).contains(cacheControl);

        // a list naming it, weakly, matches too (RFC 9110: If-None-Match compares weakly)
        assertThat(node.getWith(path, "If-None-Match", "\"other\", W/" + etag).statusCode()).isEqualTo(304);

        HttpResponse<String> other = node.getWith(path, "If-None-Match", "\"sha256-" + "A".repeat(43) + "\"");
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.body()).isEqualTo(full.body());
    }

    @Test
    void aNewCheckpoint_hasAnotherEtag_andTheOldOneGetsTheNewDocument() {
        HttpResponse<String> before = http.getWith("/log/checkpoint");
        String etag = before.headers().firstValue("ETag").orElseThrow();
        TestPackage other = TestPackage.builder("cond-two/model", "1.0.0").build(Ed25519PrivateKey.generate());
        assertThat(http.publish(other).status()).isIn(200, 201);
        HttpResponse<String> after = Eventually.await(DEADLINE,
                () -> http.getWith("/log/checkpoint", "If-None-Match", etag), r -> r.statusCode() == 200,
                "a checkpoint of the grown log");
        assertThat(after.headers().firstValue("ETag")).isPresent().get().isNotEqualTo(etag)
                .isEqualTo(strong(after.body()));
        assertThat(after.body()).isNotEqualTo(before.body());
    }

    static String strong(String body) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
            return "\"sha256-" + Base64.getUrlEncoder().withoutPadding().encodeToString(hash) + "\"";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
