package dev.grove.node.blob;

import static dev.grove.node.testing.TestNode.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.crypto.Sha256;
import dev.grove.node.Node;
import dev.grove.node.NodeConfig;
import dev.grove.node.health.NodeMetrics;
import dev.grove.node.testing.Eventually;
import dev.grove.node.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /v1/blobs/:digest} over real HTTP on a node with a real database, whatever its blob store: {@link BlobHttpTest}
 * runs these requests on a node whose blobs are in a directory, {@link S3BlobHttpTest} on one whose blobs are in an S3
 * bucket. A subclass starts the node in its {@code @BeforeAll} with {@link #start(NodeConfig)}.
 */
abstract class BlobHttpContract {

    static final long MAX_BLOB_BYTES = 64 * 1024;

    @TempDir
    static Path data;
    static Vertx vertx;
    static Node node;
    static final HttpClient http = HttpClient.newHttpClient();

    static final byte[] BYTES = randomBytes(10_000, 1);
    static final Sha256 DIGEST = Sha256.of(BYTES);

    static void start(NodeConfig config) {
        vertx = NodeMetrics.createVertx();
        node = TestNode.start(vertx, config.withMaxBlobBytes(MAX_BLOB_BYTES), (nodeConfig, services) -> List.of());
        HttpResponse<String> put = send(put(DIGEST, BYTES));
        assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
    }

    /** The bytes the storage holds under the blob's name, or empty. */
    abstract Optional<byte[]> stored(Sha256 digest) throws Exception;

    /** What unfinished uploads left in the storage (temporary files, unfinished multipart uploads). */
    abstract List<String> temporaryFiles() throws Exception;

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + node.port() + path);
    }

    static HttpRequest put(Sha256 digest, byte[] body) {
        return HttpRequest.newBuilder(uri("/v1/blobs/" + digest)).PUT(BodyPublishers.ofByteArray(body)).build();
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static HttpResponse<byte[]> get(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        try {
            return http.send(b.build(), BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonObject problem = new JsonObject(response.body());
        assertThat(problem.getInteger("status")).isEqualTo(status);
        assertThat(problem.getString("type")).isEqualTo("about:blank");
        assertThat(problem.getString("title")).isNotBlank();
        assertThat(problem.getString("detail")).isNotBlank();
    }

    @Test
    void putStoresTheBlobAndAnswers201WithLocation() throws Exception {
        byte[] bytes = randomBytes(30_000, 2);
        Sha256 digest = Sha256.of(bytes);

        HttpResponse<String> created = send(put(digest, bytes));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).contains("/v1/blobs/" + digest);
        assertThat(new JsonObject(created.body()))
                .isEqualTo(new JsonObject().put("digest", digest.toString()).put("size", 30_000));
        assertThat(stored(digest).orElseThrow()).isEqualTo(bytes);
        assertThat(temporaryFiles()).isEmpty();
    }

    @Test
    void putOfAStoredBlobAnswers200() {
        HttpResponse<String> again = send(put(DIGEST, BYTES));
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.headers().firstValue("Location")).isEmpty();
        assertThat(new JsonObject(again.body()).getLong("size")).isEqualTo(BYTES.length);
    }

    @Test
    void putOfAStoredBlobWithOtherBytesIsStillRefused() {
        HttpResponse<String> wrong = send(put(DIGEST, randomBytes(10_000, 99)));
        assertProblem(wrong, 400);
    }

    @Test
    void putWithBytesThatDoNotMatchTheDigestIsRefusedAndStoresNothing() throws Exception {
        byte[] claimed = randomBytes(5_000, 3);
        byte[] sent = randomBytes(5_000, 4);
        Sha256 digest = Sha256.of(claimed);

        HttpResponse<String> refused = send(put(digest, sent));

        assertProblem(refused, 400);
        JsonObject problem = new JsonObject(refused.body());
        assertThat(problem.getString("detail")).isEqualTo("the uploaded bytes do not match their digest: expected "
                + digest + ", actual " + Sha256.of(sent) + " (5000 bytes)");
        assertThat(problem.getString("expected")).isEqualTo(digest.toString());
        assertThat(problem.getString("actual")).isEqualTo(Sha256.of(sent).toString());
        assertThat(stored(digest)).isEmpty();
        assertThat(stored(Sha256.of(sent))).isEmpty();
        assertThat(temporaryFiles()).isEmpty();
        assertThat(get("/v1/blobs/" + digest).statusCode()).isEqualTo(404);
    }

    @Test
    void putLargerThanTheLimitIsRefusedBeforeReadingWhenTheLengthIsDeclared() throws Exception {
        byte[] big = randomBytes((int) MAX_BLOB_BYTES * 16, 5); // 1 MiB: more than socket buffers hold
        HttpResponse<String> refused = send(put(Sha256.of(big), big));
        assertProblem(refused, 413);
        assertThat(new JsonObject(refused.body()).getLong("maxBytes")).isEqualTo(MAX_BLOB_BYTES);
        assertThat(stored(Sha256.of(big))).isEmpty();
        assertThat(temporaryFiles()).isEmpty();
    }

    @Test
    void expectContinueIsAnsweredBeforeTheBodyIsSent() throws Exception {
        byte[] small = randomBytes(2_000, 7);
        HttpResponse<String> created = send(HttpRequest.newBuilder(uri("/v1/blobs/" + Sha256.of(small)))
                .expectContinue(true).PUT(BodyPublishers.ofByteArray(small)).build());
        assertThat(created.statusCode()).isEqualTo(201);

        // Refused before the body is sent. (JDK 17's HttpClient waits forever for a 100 that a refusal never sends, so a raw
        // socket plays the client here, as curl does for large uploads.)
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", node.port())) {
            socket.setSoTimeout(10_000);
            String head = "PUT /v1/blobs/" + Sha256.of(new byte[] {9}) + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Length: " + (MAX_BLOB_BYTES * 2) + "\r\nExpect: 100-continue\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            assertThat(statusLine).isEqualTo("HTTP/1.1 413 Request Entity Too Large");
        }
        assertThat(temporaryFiles()).isEmpty();
    }

    @Test
    void chunkedPutLargerThanTheLimitIsCutOffWhileStreaming() throws Exception {
        byte[] big = randomBytes((int) MAX_BLOB_BYTES * 4, 6);
        HttpRequest chunked = HttpRequest.newBuilder(uri("/v1/blobs/" + Sha256.of(big)))
                .PUT(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
                .build();
        assertProblem(send(chunked), 413);
        assertThat(stored(Sha256.of(big))).isEmpty();
        // the clean-up of the temporary file follows the response
        Eventually.untilAsserted(Eventually.PATIENCE, () -> assertThat(temporaryFiles()).isEmpty(),
                "the cut-off upload's temporary file is deleted");
    }

    @Test
    void putWithAMalformedDigestIs400() {
        assertProblem(send(HttpRequest.newBuilder(uri("/v1/blobs/sha256:ABC")).PUT(BodyPublishers.ofByteArray(BYTES))
                .build()), 400);
        HttpResponse<String> md5 = send(HttpRequest.newBuilder(uri("/v1/blobs/md5:00")).GET().build());
        assertProblem(md5, 400);
    }

    @Test
    void getServesTheBytesAsAnImmutableCacheableResource() {
        HttpResponse<byte[]> response = get("/v1/blobs/" + DIGEST);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(BYTES);
        assertThat(response.headers().firstValue("ETag")).contains("\"" + DIGEST + "\"");
        assertThat(response.headers().firstValue("Cache-Control")).contains("public, max-age=31536000, immutable");
        assertThat(response.headers().firstValue("Content-Type")).contains("application/octet-stream");
        assertThat(response.headers().firstValue("Accept-Ranges")).contains("bytes");
        assertThat(response.headers().firstValue("Content-Length")).contains(String.valueOf(BYTES.length));
    }

    @Test
    void getOfAnUnknownBlobIs404Problem() {
        HttpResponse<String> missing = send(HttpRequest.newBuilder(uri("/v1/blobs/" + Sha256.of(new byte[] {1}))).build());
        assertProblem(missing, 404);
        assertThat(new JsonObject(missing.body()).getString("detail"))
                .isEqualTo("no blob " + Sha256.of(new byte[] {1}) + " on this node");
    }

    @Test
    void ifNoneMatchWithTheDigestIs304() {
        HttpResponse<byte[]> response = get("/v1/blobs/" + DIGEST, "If-None-Match", "\"sha256:00\", \"" + DIGEST + "\"");
        assertThat(response.statusCode()).isEqualTo(304);
        assertThat(response.body()).isEmpty();
        assertThat(response.headers().firstValue("ETag")).contains("\"" + DIGEST + "\"");

        assertThat(get("/v1/blobs/" + DIGEST, "If-None-Match", "\"sha256:other\"").statusCode()).isEqualTo(200);
    }

    @Test
    void aByteRangeIs206WithContentRange() {
        HttpResponse<byte[]> middle = get("/v1/blobs/" + DIGEST, "Range", "bytes=100-199");
        assertThat(middle.statusCode()).isEqualTo(206);
        assertThat(middle.body()).isEqualTo(java.util.Arrays.copyOfRange(BYTES, 100, 200));
        assertThat(middle.headers().firstValue("Content-Range")).contains("bytes 100-199/10000");
        assertThat(middle.headers().firstValue("Content-Length")).contains("100");

        HttpResponse<byte[]> from = get("/v1/blobs/" + DIGEST, "Range", "bytes=9990-");
        assertThat(from.statusCode()).isEqualTo(206);
        assertThat(from.body()).isEqualTo(java.util.Arrays.copyOfRange(BYTES, 9990, 10000));
        assertThat(from.headers().firstValue("Content-Range")).contains("bytes 9990-9999/10000");

        HttpResponse<byte[]> suffix = get("/v1/blobs/" + DIGEST, "Range", "bytes=-8");
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(suffix.body()).isEqualTo(java.util.Arrays.copyOfRange(BYTES, 9992, 10000));

        HttpResponse<byte[]> clamped = get("/v1/blobs/" + DIGEST, "Range", "bytes=9000-20000");
        assertThat(clamped.headers().firstValue("Content-Range")).contains("bytes 9000-9999/10000");
        assertThat(clamped.body()).hasSize(1000);
    }

    @Test
    void anUnsatisfiableRangeIs416ProblemWithTheSize() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/v1/blobs/" + DIGEST))
                .header("Range", "bytes=10000-").build());
        assertProblem(response, 416);
        assertThat(response.headers().firstValue("Content-Range")).contains("bytes */10000");
    }

    @Test
    void severalRangesOrAStaleIfRangeGetTheWholeBlob() {
        HttpResponse<byte[]> multi = get("/v1/blobs/" + DIGEST, "Range", "bytes=0-1,5-6");
        assertThat(multi.statusCode()).isEqualTo(200);
        assertThat(multi.body()).isEqualTo(BYTES);

        HttpResponse<byte[]> stale = get("/v1/blobs/" + DIGEST, "Range", "bytes=0-1", "If-Range", "\"sha256:old\"");
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.body()).isEqualTo(BYTES);
    }

    @Test
    void headAnswersTheHeadersOfGetWithoutABody() throws Exception {
        HttpResponse<byte[]> head = http.send(HttpRequest.newBuilder(uri("/v1/blobs/" + DIGEST))
                .method("HEAD", BodyPublishers.noBody()).build(), BodyHandlers.ofByteArray());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Length")).contains(String.valueOf(BYTES.length));
        assertThat(head.headers().firstValue("ETag")).contains("\"" + DIGEST + "\"");
        assertThat(head.headers().firstValue("Cache-Control")).contains("public, max-age=31536000, immutable");

        HttpResponse<byte[]> missing = http.send(HttpRequest.newBuilder(uri("/v1/blobs/" + Sha256.of(new byte[0])))
                .method("HEAD", BodyPublishers.noBody()).build(), BodyHandlers.ofByteArray());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEmpty();
    }

    @Test
    void browsersOnOtherOriginsMayReadBlobs() {
        HttpResponse<byte[]> response = get("/v1/blobs/" + DIGEST, "Origin", "https://elsewhere.example");
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        assertThat(response.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
        assertThat(response.headers().firstValue("Access-Control-Expose-Headers").orElse("")).contains("ETag");
    }
}
