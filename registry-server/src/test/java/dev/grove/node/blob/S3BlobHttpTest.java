package dev.grove.node.blob;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.crypto.Sha256;
import dev.grove.node.Node;
import dev.grove.node.health.NodeMetrics;
import dev.grove.node.testing.S3Server;
import dev.grove.node.testing.TestNode;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every request of {@link BlobHttpContract} (bytes, ranges, mismatches, oversized and cut-off uploads, bad digests) on a
 * node whose blobs are in a bucket of a real S3 API server on loopback; and presigned redirects, on a second node over
 * the same bucket.
 */
class S3BlobHttpTest extends BlobHttpContract {

    @TempDir
    static Path buckets;
    static S3Server s3;
    static BlobLocation.S3 bucket;

    @BeforeAll
    static void start() {
        s3 = S3Server.start(buckets);
        S3Server.useCredentials();
        bucket = s3.newBucket();
        start(TestNode.config(data).withBlobs(bucket));
    }

    @AfterAll
    static void stop() {
        try {
            TestNode.stop(node, vertx);
        } finally {
            s3.close();
        }
    }

    @Override
    Optional<byte[]> stored(Sha256 digest) {
        return s3.object(bucket.bucket(), "blobs/sha256/" + digest.hex());
    }

    /** Unfinished multipart uploads, and objects that are not blobs. */
    @Override
    List<String> temporaryFiles() {
        return Stream.concat(s3.unfinishedUploads(bucket.bucket()).stream(),
                s3.keys(bucket.bucket()).stream().filter(k -> !k.matches("blobs/sha256/[0-9a-f]{64}"))).toList();
    }

    @Test
    void nothingOfTheBlobsIsInTheDataDirectory() {
        assertThat(node.config().blobDir()).doesNotExist();
    }

    @Test
    void withPresignedRedirectsAGetIsSentToTheBucketAndEverythingElseIsAnsweredByTheNode() throws Exception {
        Vertx other = NodeMetrics.createVertx();
        BlobLocation.S3 redirecting = new BlobLocation.S3(bucket.bucket(), bucket.endpoint(), bucket.region(), true, true, "");
        Node presigning = TestNode.start(other, TestNode.config(data.resolve("presigning")).withBlobs(redirecting),
                (config, services) -> List.of());
        try {
            URI blob = URI.create("http://127.0.0.1:" + presigning.port() + "/v1/blobs/" + DIGEST);
            HttpResponse<byte[]> redirect = http.send(HttpRequest.newBuilder(blob).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(redirect.statusCode()).isEqualTo(307);
            URI location = URI.create(redirect.headers().firstValue("Location").orElseThrow());
            assertThat(location.getPort()).isEqualTo(s3.endpoint().getPort());
            assertThat(location.getPath()).isEqualTo("/" + bucket.bucket() + "/blobs/sha256/" + DIGEST.hex());
            assertThat(location.getQuery()).contains("X-Amz-Expires=300").doesNotContain(S3Server.SECRET_KEY);
            assertThat(redirect.headers().firstValue("Cache-Control")).contains("no-store");
            assertThat(redirect.body()).isEmpty();

            // a client that follows redirects gets the bytes, and a range of them, from the bucket
            HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
            HttpResponse<byte[]> whole = following.send(HttpRequest.newBuilder(blob).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(whole.statusCode()).isEqualTo(200);
            assertThat(Sha256.of(whole.body())).isEqualTo(DIGEST);
            HttpResponse<byte[]> part = following.send(HttpRequest.newBuilder(blob).header("Range", "bytes=100-199").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(part.statusCode()).isEqualTo(206);
            assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(BYTES, 100, 200));

            // a browser gets the bytes from the node: the site's Content-Security-Policy would block the bucket
            HttpResponse<byte[]> browser = http.send(HttpRequest.newBuilder(blob).header("Sec-Fetch-Mode", "cors").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(browser.statusCode()).isEqualTo(200);
            assertThat(browser.body()).isEqualTo(BYTES);

            // HEAD, revalidation and a missing blob are still the node's
            HttpResponse<byte[]> head = http.send(HttpRequest.newBuilder(blob).method("HEAD",
                    HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.headers().firstValue("Content-Length")).contains(String.valueOf(BYTES.length));
            HttpResponse<byte[]> unchanged = http.send(HttpRequest.newBuilder(blob)
                    .header("If-None-Match", "\"" + DIGEST + "\"").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(unchanged.statusCode()).isEqualTo(304);
            HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + presigning.port() + "/v1/blobs/" + Sha256.of(new byte[] {1}))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertProblem(missing, 404);
        } finally {
            TestNode.stop(presigning, other);
        }
    }
}
