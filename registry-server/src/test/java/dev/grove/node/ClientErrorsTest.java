package dev.grove.node;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.dsse.Envelope;
import dev.grove.dsse.EnvelopeSigner;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.RawHttp;
import dev.grove.node.testing.TestNode;
import dev.grove.node.testing.TestPackage;
import dev.grove.pkg.PayloadTypes;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * What a client can get wrong at the edge of a real node (the request line, the target, the headers, the media type, the
 * text in a body) is answered with a 4xx problem document that says what to fix, on every route, before any route or
 * SQL statement sees it: no 500, no empty answer.
 */
class ClientErrorsTest {

    @TempDir
    static Path data;
    static Vertx vertx;
    static Node node;
    static NodeHttp http;
    static final Ed25519PrivateKey KEY = Ed25519PrivateKey.generate();
    static final TestPackage PUBLISHED = TestPackage.builder("edge/model", "1.0.0").build(KEY);

    static final String DIGEST = "sha256:" + "ab".repeat(32);

    /** What the node logs at ERROR: a client's mistake is not the node's error, and must leave no stack trace. */
    static final ListAppender<ILoggingEvent> errors = new ListAppender<>();

    @BeforeAll
    static void start() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        errors.addFilter(new ch.qos.logback.core.filter.Filter<>() {
            @Override
            public ch.qos.logback.core.spi.FilterReply decide(ILoggingEvent event) {
                return event.getLevel().isGreaterOrEqual(Level.ERROR) ? ch.qos.logback.core.spi.FilterReply.NEUTRAL
                        : ch.qos.logback.core.spi.FilterReply.DENY;
            }
        });
        errors.start();
        root.addAppender(errors);
        vertx = Vertx.vertx();
        node = TestNode.start(vertx, data, Features::all);
        http = new NodeHttp(node.port());
        assertThat(http.publish(PUBLISHED).status()).isEqualTo(201);
    }

    @AfterEach
    void nothingWasLoggedAsAnError() {
        assertThat(errors.list).extracting(ILoggingEvent::getFormattedMessage).isEmpty();
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(errors);
        TestNode.stop(node, vertx);
    }

    static HttpResponse<String> send(String method, String path, String contentType, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
                .timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String path) throws Exception {
        return send("GET", path, null, new byte[0]);
    }

    static void assertProblem(String what, int status, String detailPart, HttpResponse<String> r) {
        assertProblem(what, status, detailPart, r.statusCode(), r.headers().firstValue("Content-Type").orElse(""),
                r.body());
    }

    static void assertProblem(String what, int status, String detailPart, int actual, String contentType, String body) {
        assertThat(actual).as(what + ": " + body).isEqualTo(status);
        assertThat(contentType).as(what).startsWith("application/problem+json");
        JsonObject problem = new JsonObject(body);
        assertThat(problem.getInteger("status")).as(what).isEqualTo(status);
        assertThat(problem.getString("detail")).as(what).contains(detailPart);
    }

    static void assertRawProblem(String what, int status, String detailPart, RawHttp.Answer answer) {
        assertThat(answer.status()).as(what + ": " + answer.text()).contains(status);
        assertThat(answer.headers().toLowerCase()).as(what).contains("content-type: application/problem+json");
        assertThat(new JsonObject(answer.body()).getString("detail")).as(what).contains(detailPart);
    }

    /** A request no HTTP client would send for this target (it refuses a malformed URI). */
    static RawHttp.Answer raw(String method, String target) {
        return RawHttp.exchange(node.port(), method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    }

    @Test
    void malformedEscapesInThePathOrTheQueryAreRefusedOnEveryRoute() throws Exception {
        List<String> paths = List.of(
                "/v1/packages/%zz/pkg",
                "/v1/packages/edge/%/versions/1.0.0",
                "/v1/packages/edge/model/versions/1.0.%",
                "/v1/digests/sha256:%ab%g",
                "/v1/blobs/%E0%A4%A",
                "/v1/namespaces/%",
                "/v1/reports/%zz",
                "/v1/lineage/%zz",
                "/v1/origins/%zz/packages/a/b/versions/1.0.0",
                "/v1/origins/%zz/log/checkpoint",
                "/log/tile/%zz",
                "/%zz",
                "/v1/search?q=%zz",
                "/v1/search?task=%",
                "/v1/peers/evidence?peer=%4",
                "/v1/log/inclusion?index=%zz");
        for (String path : paths) {
            assertRawProblem("GET " + path, 400, "malformed escape", raw("GET", path));
        }
        assertRawProblem("POST with a malformed escape", 400, "malformed escape",
                raw("POST", "/v1/packages/edge/model/versions/1.0.0/yank?%zz"));
    }

    @Test
    void nulAndInvalidUtf8InThePathOrTheQueryAreRefusedBeforeAnyQuery() throws Exception {
        List<String> nul = List.of("/v1/search?task=%00", "/v1/search?q=a%00b", "/v1/peers/evidence?peer=%00",
                "/v1/origins/%00/packages/a/b/versions/1.0.0", "/v1/origins/%00/namespaces/edge",
                "/v1/namespaces/%00", "/v1/packages/edge/model%00/versions/1.0.0");
        for (String path : nul) {
            assertProblem("GET " + path, 400, "NUL", get(path));
        }
        List<String> notUtf8 = List.of("/v1/namespaces/%C3%28", "/v1/search?q=%FF", "/v1/search?task=%C0%80",
                "/v1/origins/%ED%A0%80/log/checkpoint", "/v1/packages/%F5%80%80%80/x");
        for (String path : notUtf8) {
            assertProblem("GET " + path, 400, "not UTF-8", get(path));
        }
        assertRawProblem("raw bytes in the target", 400, "percent-encode", RawHttp.exchange(node.port(),
                "GET /v1/namespaces/\u00ff\u00fe HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
        assertThat(http.get("/v1/search?q=%C3%A9t%C3%A9").status()).as("UTF-8 in the query").isEqualTo(200);
    }

    @Test
    void aRequestWithoutHostIsABadRequest() {
        assertRawProblem("HTTP/1.1 without Host", 400, "Host", RawHttp.exchange(node.port(),
                "GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n"));
        assertRawProblem("two Host headers", 400, "Host", RawHttp.exchange(node.port(),
                "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n"));
        assertThat(RawHttp.exchange(node.port(), "GET /healthz HTTP/1.0\r\n\r\n").status())
                .as("HTTP/1.0 needs no Host").contains(200);
        for (String host : List.of("a b", "[::1", "x".repeat(300), "", "host:port", "a/b")) {
            assertRawProblem("Host: " + host, 400, "Host", RawHttp.exchange(node.port(),
                    "GET /healthz HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n"));
        }
        assertThat(RawHttp.exchange(node.port(), "GET /healthz HTTP/1.1\r\nHost: [::1]:8080\r\nConnection: close\r\n\r\n")
                .status()).as("an IPv6 host and a port").contains(200);
    }

    @Test
    void anotherHttpVersionInTheRequestLineIsABadRequest() {
        for (String version : List.of("HTTP/2.0", "HTTP/1.2", "HTTP/3.0")) {
            RawHttp.Answer answer = RawHttp.exchange(node.port(), "GET /healthz " + version + "\r\nHost: a\r\n\r\n");
            assertRawProblem(version, 400, "HTTP/1.1", answer);
        }
    }

    /**
     * Vert.x closes the connection as soon as the decoder refuses a chunk size, in the same call that tells the request,
     * before anything written in that call is flushed: there is no answer to give. What the node can do is not count it as
     * its own failure (no 500, no error logged) and go on serving.
     */
    @Test
    void aBrokenChunkSizeClosesTheConnectionWithoutAServerError() {
        List<String> requests = List.of(
                "POST /v1/reports/tokens HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\nzz\r\n",
                "POST /v1/packages HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\nzz\r\n",
                "PUT /v1/blobs/" + DIGEST + " HTTP/1.1\r\nHost: a\r\nContent-Type: application/octet-stream\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\nzz\r\n");
        for (String request : requests) {
            RawHttp.Answer answer = RawHttp.exchange(node.port(), request);
            answer.status().ifPresent(status -> assertThat(status).as(answer.text()).isBetween(400, 499));
        }
        assertThat(http.get("/healthz").status()).isEqualTo(200);
    }

    @Test
    void jsonWriteRoutesTakeOnlyJson() throws Exception {
        String form = "bundle=" + "x".repeat(20_000);
        List<String> routes = List.of("/v1/packages", "/v1/packages/edge/model/versions/1.0.0/yank",
                "/v1/namespaces/edge/keyset", "/v1/reports/tokens", "/v1/reports");
        for (String route : routes) {
            assertProblem("form on " + route, 415, "application/json",
                    send("POST", route, "application/x-www-form-urlencoded", form.getBytes(StandardCharsets.UTF_8)));
            assertProblem("multipart on " + route, 415, "application/json",
                    send("POST", route, "multipart/form-data; boundary=x", "--x--".getBytes(StandardCharsets.UTF_8)));
            assertProblem("text on " + route, 415, "application/json",
                    send("POST", route, "text/plain", "{}".getBytes(StandardCharsets.UTF_8)));
            assertProblem("no type on " + route, 415, "application/json",
                    send("POST", route, null, "{}".getBytes(StandardCharsets.UTF_8)));
            assertProblem("latin-1 JSON on " + route, 415, "UTF-8",
                    send("POST", route, "application/json; charset=iso-8859-1", "{}".getBytes(StandardCharsets.UTF_8)));
        }
        assertProblem("a Content-Type of only ';'", 415, "application/json",
                send("POST", "/v1/reports/tokens", ";", "{}".getBytes(StandardCharsets.UTF_8)));
        assertThat(send("POST", "/v1/reports/tokens", "Application/JSON; charset=UTF-8", "{}".getBytes()).statusCode())
                .as("media types are case-insensitive").isEqualTo(400);
        assertProblem("JSON to the witness", 415, "text/plain", send("POST", "/witness/add-checkpoint",
                "application/json", "{}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void nulInAJsonStringIsRefusedWhereverTheBodyIsParsed() throws Exception {
        assertProblem("token request", 400, "NUL", send("POST", "/v1/reports/tokens", "application/json",
                "{\"blindedMessage\": \"a\\u0000\"}".getBytes(StandardCharsets.UTF_8)));
        assertProblem("report", 400, "NUL", send("POST", "/v1/reports", "application/json",
                "{\"runtime\": \"js\\u0000\"}".getBytes(StandardCharsets.UTF_8)));
        assertProblem("lone surrogate", 400, "surrogate", send("POST", "/v1/reports", "application/json",
                "{\"runtime\": \"\\ud800\"}".getBytes(StandardCharsets.UTF_8)));
        assertProblem("raw NUL", 400, "NUL", send("POST", "/v1/packages", "application/json",
                new byte[] {'{', '"', 'a', 0, '"', ':', '1', '}'}));

        // inside a signed payload, where no scan of the body can see it
        byte[] statement = ("{\"schema\":\"grove.yank/v2\",\"name\":\"edge/model\",\"version\":\"1.0.0\","
                + "\"digest\":\"" + PUBLISHED.digest() + "\",\"reason\":\"bad\\u0000labels\"}")
                .getBytes(StandardCharsets.UTF_8);
        Envelope yank = EnvelopeSigner.sign(PayloadTypes.YANK, statement, KEY);
        assertProblem("NUL in a signed yank's reason", 400, "NUL", send("POST",
                "/v1/packages/edge/model/versions/1.0.0/yank", "application/json",
                yank.toJsonString().getBytes(StandardCharsets.UTF_8)));
        NodeHttp.Reply contract = http.publish(TestPackage.builder("edge/model", "1.0.1").summary("a\u0000b").build(KEY));
        assertProblem("NUL in a signed contract", 400, "NUL", contract.status(), contract.contentType(), contract.body());
        assertThat(http.get("/v1/packages/edge/model/versions/1.0.0").json().getBoolean("yanked")).isFalse();
        assertThat(http.get("/v1/packages/edge/model/versions/1.0.1").status()).isEqualTo(404);
    }

    @Test
    void aVersionOfThousandsOfPartsIsRefusedByItsLength() throws Exception {
        String deep = "1.0.0-" + "a.".repeat(2000) + "a";
        TestPackage pkg = TestPackage.builder("edge/deep", deep).build(KEY);
        NodeHttp.Reply reply = http.publish(pkg);
        assertProblem("publish " + deep.length() + " characters of version", 400, "/version", reply.status(),
                reply.contentType(), reply.body());
        String path = "/v1/packages/edge/model/versions/1.0.0-" + "a.".repeat(900) + "a";
        assertProblem("a version of 900 parts in the path", 400, "longer than 128", get(path));
        assertProblem("and on the yank route", 400, "longer than 128",
                send("POST", path + "/yank", "application/json", "{}".getBytes(StandardCharsets.UTF_8)));
    }
}
