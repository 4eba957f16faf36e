package dev.grove.node.reports;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.grove.blind.Base64Url;
import dev.grove.blind.BlindRsaPrivateKey;
import dev.grove.blind.BlindSignatureException;
import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.crypto.Hex;
import dev.grove.crypto.Sha256;
import dev.grove.node.Features;
import dev.grove.node.Node;
import dev.grove.node.health.NodeMetrics;
import dev.grove.node.testing.Eventually;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.TestNode;
import dev.grove.node.testing.TestPackage;
import dev.grove.reports.RandomizedResponse;
import dev.grove.reports.ReportToken;
import dev.grove.reports.ReportTokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import net.logstash.logback.encoder.LogstashEncoder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Anonymous reports against a real node: real PostgreSQL, real HTTP on loopback, real blind signatures.
 */
class ReportsNodeTest {

    static final String USER_AGENT = "report-test-agent/9.9 (private-device-42)";
    static final SecureRandom RANDOM = new SecureRandom();
    static final Ed25519PrivateKey PUBLISHER = Ed25519PrivateKey.generate();

    @TempDir
    static Path data;
    static Vertx vertx;
    static Node node;
    static NodeHttp http;
    static ReportClient client;
    static final ListAppender<ILoggingEvent> log = new ListAppender<>();
    static String startup;

    @BeforeAll
    static void start() {
        // capture from before the start, so that the key's creation is among the lines checked
        log.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(log);
        ((Logger) LoggerFactory.getLogger("grove.access")).addAppender(log);
        vertx = NodeMetrics.createVertx();
        node = TestNode.start(vertx, TestNode.config(data)
                .withReports(ReportSettings.defaults().withTokenLimit(100_000, 100_000)), Features::all);
        http = new NodeHttp(node.port());
        client = new ReportClient(http);
        startup = lines(); // other tests clear the captured lines
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(log);
        ((Logger) LoggerFactory.getLogger("grove.access")).detachAppender(log);
        TestNode.stop(node, vertx);
    }

    static String publish(String name) {
        TestPackage pkg = TestPackage.builder(name, "1.0.0").build(PUBLISHER);
        NodeHttp.Reply reply = http.publish(pkg);
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return pkg.digest().toString();
    }

    @Test
    void issuer_publishesTheSuiteKeyEpsilonAndMinimum() throws Exception {
        JsonObject doc = client.issuerDocument;
        assertThat(doc.getString("suite")).isEqualTo("RSABSSA-SHA384-PSS-Randomized");
        assertThat(doc.getString("keyId")).isEqualTo(client.issuer.keyId()).hasSize(64);
        assertThat(client.issuer.modulus().bitLength()).isEqualTo(2048);
        assertThat(doc.getDouble("epsilon")).isEqualTo(Math.log(3));
        assertThat(doc.getInteger("minimumReports")).isEqualTo(20);
        Path keyFile = data.resolve("report-key.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        String logged = startup + lines();
        assertThat(logged).contains("report issuer key " + client.issuer.keyId());
        JsonObject secret = new JsonObject(Files.readString(keyFile));
        for (String part : List.of("d", "p", "q")) {
            String b64 = secret.getString(part);
            assertThat(logged).doesNotContain(b64.substring(0, 32));
            assertThat(logged).doesNotContain(Hex.encode(Base64Url.decode(b64)).substring(0, 32));
        }
    }

    @Test
    void report_storedRowAndLogLinesHoldNothingThatIdentifiesTheSender() throws Exception {
        String digest = publish("reports/private");
        ReportToken token = client.token();
        log.list.clear();
        HttpClient raw = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> response = raw.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port()
                        + "/v1/reports"))
                .header("Content-Type", "application/json")
                .header("User-Agent", USER_AGENT)
                .header("Cookie", "session=cookie-value-77")
                .header("X-Forwarded-For", "203.0.113.9")
                .POST(HttpRequest.BodyPublishers.ofString(ReportClient.report(token, digest, true, "wasm", "phone")
                        .encode())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);

        List<Row> rows = rows("SELECT row_to_json(r)::text AS j FROM reports r WHERE package_digest = $1", digest);
        assertThat(rows).hasSize(1);
        JsonObject row = new JsonObject(rows.get(0).getString("j"));
        assertThat(row.fieldNames()).containsExactlyInAnyOrder("package_digest", "helped", "rating", "latency_ms",
                "runtime", "device_class", "received_day");
        assertThat(row.getString("received_day")).matches("\\d{4}-\\d{2}-\\d{2}");
        String spent = rows("SELECT encode(token_hash, 'hex') AS h FROM spent_tokens", null).stream()
                .map(r -> r.getString("h")).collect(Collectors.joining(","));
        assertThat(spent).contains(Sha256.of(token.message()).hex());
        String columns = rows("""
                SELECT string_agg(table_name || '.' || column_name || ':' || data_type, ',') AS c
                  FROM information_schema.columns WHERE table_name IN ('reports', 'spent_tokens')""", null)
                .get(0).getString("c");
        assertThat(columns).doesNotContain("inet", "timestamp", "time with", "cidr", "json");
        String everything = row.encode() + spent + columns;
        assertThat(everything).doesNotContain("127.0.0.1", "203.0.113.9", "report-test-agent", "cookie-value-77",
                token.messageBase64Url(), token.signatureBase64Url());

        String lines = awaitLines("/v1/reports");
        assertThat(lines).contains("\"path\":\"/v1/reports\"", "\"status\":202");
        assertThat(lines).doesNotContain("127.0.0.1", "203.0.113.9", "report-test-agent", "cookie-value-77",
                "private-device-42", token.messageBase64Url(), token.signatureBase64Url(), digest);
    }

    @Test
    void tokenIssuance_logLinesCarryNoAddressAndNoBlindedMessage() throws Exception {
        log.list.clear();
        ReportTokens.Request request = ReportTokens.request(client.issuer, RANDOM::nextBytes);
        String blinded = Base64Url.encode(request.blindedMessage());
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + node.port() + "/v1/reports/tokens"))
                .header("Content-Type", "application/json").header("User-Agent", USER_AGENT)
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("blindedMessage", blinded).encode()))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        String blindSignature = new JsonObject(response.body()).getString("blindSignature");
        String lines = awaitLines("/v1/reports/tokens");
        assertThat(lines).contains("\"path\":\"/v1/reports/tokens\"", "\"status\":200");
        assertThat(lines).doesNotContain("127.0.0.1", "report-test-agent", blinded.substring(0, 40),
                blindSignature.substring(0, 40));
    }

    @Test
    void replayedToken_isRefusedAndStoresNothing() {
        String digest = publish("reports/replay");
        ReportToken token = client.token();
        assertThat(client.send(ReportClient.report(token, digest, true, "js", "desktop")).status()).isEqualTo(202);
        NodeHttp.Reply again = client.send(ReportClient.report(token, digest, false, "js", "desktop"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.contentType()).isEqualTo("application/problem+json");
        assertThat(again.json().getString("reason")).isEqualTo("spent");
        assertThat(again.detail()).startsWith("this token was already spent");
        assertThat(count(digest)).isEqualTo(1);
    }

    @Test
    void concurrentDoubleSpend_exactlyOneWins() {
        String digest = publish("reports/race");
        ReportToken token = client.token();
        String body = ReportClient.report(token, digest, true, "wasm", "desktop").encode();
        HttpClient raw = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            sent.add(raw.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/v1/reports"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        List<Integer> statuses = sent.stream().map(f -> f.join().statusCode()).sorted().toList();
        assertThat(statuses.stream().filter(s -> s == 202).count()).as(statuses.toString()).isEqualTo(1);
        assertThat(statuses.stream().filter(s -> s == 409).count()).as(statuses.toString()).isEqualTo(11);
        assertThat(count(digest)).isEqualTo(1);
    }

    @Test
    void concurrentReports_writtenTogether_eachGetsItsOwnAnswer() {
        // reports that arrive together are written together: each must still get the answer it would get alone
        String digest = publish("reports/together");
        String unknown = TestPackage.builder("reports/never-published", "1.0.0").build(PUBLISHER).digest().toString();
        List<String> bodies = new ArrayList<>();
        List<ReportToken> unspent = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ReportToken token = client.token();
            JsonObject full = ReportClient.report(token, digest, i % 2 == 0, "wasm", "phone");
            bodies.add(full.encode());
            // the same token again, without the optional fields: one of the two is stored, the other is 409
            JsonObject bare = full.copy().put("helped", i % 2 != 0).put("runtime", "js");
            bare.remove("rating");
            bare.remove("latencyMs");
            bodies.add(bare.encode());
            if (i % 6 == 0) {
                ReportToken spare = client.token();
                unspent.add(spare);
                bodies.add(ReportClient.report(spare, unknown, true, "js", "desktop").encode());
            }
        }
        HttpClient raw = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (String body : bodies) {
            sent.add(raw.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/v1/reports"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        List<Integer> statuses = sent.stream().map(f -> f.join().statusCode()).sorted().toList();
        assertThat(statuses.stream().filter(s -> s == 202).count()).as(statuses.toString()).isEqualTo(30);
        assertThat(statuses.stream().filter(s -> s == 409).count()).as(statuses.toString()).isEqualTo(30);
        assertThat(statuses.stream().filter(s -> s == 404).count()).as(statuses.toString()).isEqualTo(unspent.size());
        assertThat(count(digest)).isEqualTo(30);
        // a report about an unknown package spent nothing, even written beside others
        for (ReportToken spare : unspent) {
            assertThat(client.send(ReportClient.report(spare, digest, false, "js", "desktop")).status()).isEqualTo(202);
        }
        assertThat(count(digest)).isEqualTo(30 + unspent.size());
    }

    @Test
    void tokenSignedByAnotherKey_isRefused() throws Exception {
        String digest = publish("reports/forged");
        BlindRsaPrivateKey other = BlindRsaPrivateKey.generate(2048, RANDOM);
        ReportToken forged = selfIssued(other);
        // the other key's token, claiming to be from this node's key
        ReportToken claimed = new ReportToken(client.issuer.keyId(), forged.message(), forged.signature());
        NodeHttp.Reply reply = client.send(ReportClient.report(claimed, digest, true, "wasm", "phone"));
        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.json().getString("reason")).isEqualTo("bad-token");
        assertThat(reply.detail()).isEqualTo("the token's signature does not verify with this node's issuer key "
                + client.issuer.keyId());
        // and under its own key id
        NodeHttp.Reply own = client.send(ReportClient.report(forged, digest, true, "wasm", "phone"));
        assertThat(own.status()).isEqualTo(403);
        assertThat(own.json().getString("reason")).isEqualTo("unknown-key");
        assertThat(own.json().getString("field")).isEqualTo("token.keyId");
        assertThat(count(digest)).isZero();
    }

    @Test
    void tamperedTokenMessage_isRefused() {
        String digest = publish("reports/tampered");
        ReportToken token = client.token();
        byte[] message = token.message();
        message[message.length - 1] ^= 1;
        NodeHttp.Reply reply = client.send(ReportClient.report(new ReportToken(token.keyId(), message,
                token.signature()), digest, true, "wasm", "phone"));
        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.json().getString("reason")).isEqualTo("bad-token");
        // the genuine token was not spent by the refused one
        assertThat(client.send(ReportClient.report(token, digest, true, "wasm", "phone")).status()).isEqualTo(202);
    }

    @Test
    void unknownPackage_is404AndDoesNotSpendTheToken() {
        ReportToken token = client.token();
        NodeHttp.Reply reply = client.send(ReportClient.report(token, Sha256.of(new byte[] {1}).toString(), true, "js",
                "other"));
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json().getString("reason")).isEqualTo("unknown-package");
        String digest = publish("reports/after-404");
        assertThat(client.send(ReportClient.report(token, digest, true, "js", "other")).status()).isEqualTo(202);
    }

    @Test
    void malformedReports_are400NamingTheField() {
        String digest = publish("reports/malformed");
        ReportToken token = client.token();
        JsonObject good = ReportClient.report(token, digest, true, "wasm", "phone");
        assertBad(good.copy().put("rating", 6), "rating", "'rating' must be an integer from 1 to 5");
        assertBad(good.copy().put("rating", 2.5), "rating", "'rating' must be an integer from 1 to 5");
        assertBad(good.copy().put("latencyMs", -1), "latencyMs", "'latencyMs' must be an integer from 0 to 3600000");
        assertBad(good.copy().put("runtime", "native"), "runtime", "'runtime' must be one of wasm, js, jvm");
        assertBad(good.copy().put("device", "fridge"), "device", "'device' must be one of phone, tablet, desktop, other");
        assertBad(good.copy().put("helped", "yes"), "helped", "'helped' must be true or false");
        assertBad(good.copy().put("package", "sha256:ABC"), "package",
                "'package' must be a package digest (sha256: and 64 lowercase hex digits)");
        assertBad(good.copy().put("ip", "10.0.0.1"), "ip", "'ip' is not a report field; a report carries only device, "
                + "helped, latencyMs, package, rating, runtime, token");
        JsonObject noToken = good.copy();
        noToken.remove("token");
        assertBad(noToken, "token", "'token' is missing");
        JsonObject badSig = good.copy();
        badSig.getJsonObject("token").put("signature", "not+base64url");
        assertBad(badSig, "token.signature", "'token.signature' must be unpadded base64url: not unpadded base64url: "
                + "character '+' at 3");
        JsonObject shortMessage = good.copy();
        shortMessage.getJsonObject("token").put("message", Base64Url.encode(new byte[10]));
        assertBad(shortMessage, "token.message", "'token.message' a token message has 85 bytes, not 10");

        NodeHttp.Reply notJson = http.post("/v1/reports", "{\"token\":");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.detail()).isEqualTo("the request body is not valid JSON");
        NodeHttp.Reply array = http.post("/v1/reports", "[1,2]");
        assertThat(array.status()).isEqualTo(400);
        assertThat(array.detail()).isEqualTo("the request body must be a JSON object");
        NodeHttp.Reply empty = http.post("/v1/reports", "");
        assertThat(empty.status()).isEqualTo(400);
        NodeHttp.Reply huge = http.post("/v1/reports", good.copy().put("pad", "x".repeat(5000)).encode());
        assertThat(huge.status()).isEqualTo(413);
        assertThat(huge.contentType()).isEqualTo("application/problem+json");

        // none of those spent the token
        assertThat(client.send(good).status()).isEqualTo(202);
    }

    @Test
    void malformedTokenRequests_are400() {
        NodeHttp.Reply shortOne = http.post("/v1/reports/tokens", new JsonObject()
                .put("blindedMessage", Base64Url.encode(new byte[100])).encode());
        assertThat(shortOne.status()).isEqualTo(400);
        assertThat(shortOne.detail()).isEqualTo("'blindedMessage' must be 256 bytes for this issuer's key, not 100");
        byte[] ones = new byte[256];
        java.util.Arrays.fill(ones, (byte) 0xff);
        NodeHttp.Reply tooLarge = http.post("/v1/reports/tokens", new JsonObject()
                .put("blindedMessage", Base64Url.encode(ones)).encode());
        assertThat(tooLarge.status()).isEqualTo(400);
        assertThat(tooLarge.detail()).isEqualTo("'blindedMessage' the blinded message is not below the key's modulus");
        NodeHttp.Reply missing = http.post("/v1/reports/tokens", "{}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().getString("field")).isEqualTo("blindedMessage");
        NodeHttp.Reply extra = http.post("/v1/reports/tokens", "{\"blindedMessage\":\"AA\",\"who\":\"me\"}");
        assertThat(extra.status()).isEqualTo(400);
        assertThat(extra.json().getString("field")).isEqualTo("who");
        NodeHttp.Reply huge = http.post("/v1/reports/tokens", new JsonObject()
                .put("blindedMessage", "A".repeat(4000)).encode());
        assertThat(huge.status()).isEqualTo(413);
    }

    @Test
    void belowTheMinimum_onlyTheCountAndTheMinimumAreShown() {
        String digest = publish("reports/few");
        for (int i = 0; i < 19; i++) {
            assertThat(client.send(ReportClient.report(client.token(), digest, i % 2 == 0, "wasm", "desktop")).status())
                    .isEqualTo(202);
        }
        JsonObject few = http.get("/v1/reports/" + digest).json();
        assertThat(few.fieldNames()).containsExactlyInAnyOrder("package", "count", "minimum", "shown");
        assertThat(few.getLong("count")).isEqualTo(19);
        assertThat(few.getInteger("minimum")).isEqualTo(20);
        assertThat(few.getBoolean("shown")).isFalse();

        assertThat(client.send(ReportClient.report(client.token(), digest, true, "wasm", "desktop")).status())
                .isEqualTo(202);
        JsonObject enough = http.get("/v1/reports/" + digest).json();
        assertThat(enough.getBoolean("shown")).isTrue();
        assertThat(enough.getJsonObject("helped").fieldNames()).contains("estimate", "low", "high", "confidence");
        assertThat(enough.getJsonObject("byRuntime").getJsonObject("wasm").getBoolean("shown")).isTrue();
        JsonObject js = enough.getJsonObject("byRuntime").getJsonObject("js");
        assertThat(js.fieldNames()).containsExactlyInAnyOrder("count", "shown");
        assertThat(js.getBoolean("shown")).isFalse();
    }

    @Test
    void versionDocument_linksToTheReports() {
        String digest = publish("reports/linked");
        String link = http.get("/v1/packages/reports/linked/versions/1.0.0").json().getString("reports");
        assertThat(link).isEqualTo("/v1/reports/" + digest);
        assertThat(http.get(link).json().getLong("count")).isZero();
    }

    @Test
    void summary_ofAnUnknownOrMalformedDigest() {
        assertThat(http.get("/v1/reports/" + Sha256.of(new byte[] {7})).status()).isEqualTo(404);
        NodeHttp.Reply bad = http.get("/v1/reports/sha256:nope");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.contentType()).isEqualTo("application/problem+json");
    }

    /**
     * Simulated honest visitors at a known true rate, each randomizing its answer with the shared code and sending it
     * through the real endpoints: the node's 95% interval contains the true rate. Seeded, so the run is reproducible (a
     * wrong estimator or a wrong correction fails it).
     */
    @Test
    void randomizedResponse_recoversTheTrueRateWithinItsInterval() {
        String digest = publish("reports/simulated");
        double trueRate = 0.7;
        int n = 400;
        Random rng = new Random(20261122);
        RandomizedResponse rr = RandomizedResponse.standard();
        int truthYes = 0;
        int sentYes = 0;
        for (int i = 0; i < n; i++) {
            boolean truth = rng.nextDouble() < trueRate;
            boolean sent = rr.randomize(truth, rng.nextDouble());
            truthYes += truth ? 1 : 0;
            sentYes += sent ? 1 : 0;
            String device = i % 80 == 0 ? "tablet" : i % 2 == 0 ? "phone" : "desktop";
            NodeHttp.Reply reply = client.send(ReportClient.report(client.token(), digest, sent, i % 4 == 0 ? "js" : "wasm",
                    device));
            assertThat(reply.status()).as(reply.body()).isEqualTo(202);
        }
        JsonObject summary = http.get("/v1/reports/" + digest).json();
        assertThat(summary.getLong("count")).isEqualTo(n);
        JsonObject helped = summary.getJsonObject("helped");
        assertThat(helped.getDouble("low")).isLessThanOrEqualTo(trueRate);
        assertThat(helped.getDouble("high")).isGreaterThanOrEqualTo(trueRate);
        assertThat(helped.getDouble("high") - helped.getDouble("low")).isLessThan(0.25);
        // the answers as sent are far from the truth; the correction brings the estimate back near it
        assertThat(Math.abs((double) sentYes / n - trueRate)).isGreaterThan(0.05);
        assertThat(helped.getDouble("estimate")).isCloseTo((double) truthYes / n, org.assertj.core.data.Offset.offset(0.1));
        assertThat(summary.getJsonObject("rating").getDouble("mean")).isEqualTo(4.0);
        assertThat(summary.getJsonObject("latencyMs").getLong("median")).isEqualTo(37);
        JsonObject byDevice = summary.getJsonObject("byDevice");
        assertThat(byDevice.getJsonObject("tablet").getLong("count")).isEqualTo(5);
        assertThat(byDevice.getJsonObject("tablet").fieldNames()).containsExactlyInAnyOrder("count", "shown");
        assertThat(byDevice.getJsonObject("phone").getJsonObject("helped").getDouble("low")).isLessThanOrEqualTo(trueRate);
        assertThat(summary.getJsonObject("byRuntime").getJsonObject("js").getLong("count")).isEqualTo(100);

        String metrics = http.get("/metrics").body();
        assertThat(metrics).contains("grove_reports_accepted_total", "grove_reports_refused_total{reason=\"spent\"}",
                "grove_report_tokens_issued_total");
    }

    private void assertBad(JsonObject report, String field, String detail) {
        NodeHttp.Reply reply = client.send(report);
        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
        assertThat(reply.json().getString("field")).isEqualTo(field);
        assertThat(reply.detail()).isEqualTo(detail);
    }

    static ReportToken selfIssued(BlindRsaPrivateKey key) throws BlindSignatureException {
        ReportTokens.Request request = ReportTokens.request(key.publicKey(), RANDOM::nextBytes);
        return request.finish(dev.grove.blind.BlindRsa.blindSign(key, request.blindedMessage(), RANDOM));
    }

    private static long count(String digest) {
        return rows("SELECT count(*) AS n FROM reports WHERE package_digest = $1", digest).get(0).getLong("n");
    }

    private static List<Row> rows(String sql, String arg) {
        var query = node.pool().preparedQuery(sql);
        List<Row> out = new ArrayList<>();
        (arg == null ? TestNode.await(query.execute()) : TestNode.await(query.execute(Tuple.of(arg)))).forEach(out::add);
        return out;
    }

    /** The captured lines as the node writes them (JSON, as in production) plus their plain messages. */
    private static String lines() {
        LogstashEncoder encoder = new LogstashEncoder();
        encoder.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
        encoder.start();
        StringBuilder out = new StringBuilder();
        for (ILoggingEvent event : List.copyOf(log.list)) {
            out.append(new String(encoder.encode(event), StandardCharsets.UTF_8));
            out.append(event.getFormattedMessage()).append('\n');
        }
        return out.toString();
    }

    /** Waits (the access log writes when the response has ended) until a line names {@code path}. */
    private static String awaitLines(String path) {
        return Eventually.await(Eventually.PATIENCE, ReportsNodeTest::lines,
                lines -> lines.contains("\"path\":\"" + path + "\""), "an access log line names " + path);
    }
}
