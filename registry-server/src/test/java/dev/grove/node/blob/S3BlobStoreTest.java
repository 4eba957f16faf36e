package dev.grove.node.blob;

import static dev.grove.node.testing.TestNode.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.crypto.Sha256;
import dev.grove.node.testing.S3Server;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The blob store contract on the S3 store, against a real S3 API server on loopback ({@link S3Server}), with parts of
 * 5 MiB (the smallest S3 allows) so that the multipart path is taken by blobs of a few megabytes; and what only the S3
 * store does: the unfinished uploads of a crash are aborted when it opens, it refuses a bucket it cannot use in words
 * that name no secret, and it presigns download URLs when asked to.
 */
class S3BlobStoreTest extends BlobStoreContract {

    private static final Pattern BLOB_KEY = Pattern.compile("blobs/sha256/([0-9a-f]{64})");
    static final int TEST_PART_BYTES = 5 << 20;

    @TempDir
    static Path buckets;
    static S3Server s3;
    BlobLocation.S3 bucket;

    @BeforeAll
    static void startServer() {
        s3 = S3Server.start(buckets);
    }

    @AfterAll
    static void stopServer() {
        s3.close();
    }

    static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(S3Server.ACCESS_KEY, S3Server.SECRET_KEY));
    }

    @Override
    Future<BlobStore> open(Vertx vertx) {
        bucket = s3.newBucket();
        return BlobStores.s3(vertx, bucket, credentials(), TEST_PART_BYTES);
    }

    /** Unfinished multipart uploads, and every object that is not a blob under its name. */
    @Override
    List<String> leftovers() {
        return Stream.concat(s3.unfinishedUploads(bucket.bucket()).stream().map(k -> "unfinished upload of " + k),
                s3.keys(bucket.bucket()).stream().filter(k -> !BLOB_KEY.matcher(k).matches())).toList();
    }

    /** The blob objects, each checked to hold the bytes its key names. */
    @Override
    Set<Sha256> stored() {
        return s3.keys(bucket.bucket()).stream().map(BLOB_KEY::matcher).filter(Matcher::matches).map(m -> {
            Sha256 digest = Sha256.parse("sha256:" + m.group(1));
            assertThat(s3.object(bucket.bucket(), m.group()).map(Sha256::of)).as("bytes of " + m.group()).contains(digest);
            return digest;
        }).collect(Collectors.toSet());
    }

    @Override
    int partBytes() {
        return TEST_PART_BYTES;
    }

    @Test
    void unfinishedUploadsLeftByACrashAreAbortedWhenLeftoversAreRemoved() {
        String key = "blobs/sha256/" + "ab".repeat(32);
        try (S3Client client = S3Client.builder().endpointOverride(s3.endpoint()).region(Region.of(S3Server.REGION))
                .forcePathStyle(true).credentialsProvider(credentials()).build()) {
            client.createMultipartUpload(c -> c.bucket(bucket.bucket()).key(key));
        }
        assertThat(s3.unfinishedUploads(bucket.bucket())).containsExactly(key);

        BlobStore reopened = await(BlobStores.s3(vertx, bucket, credentials(), TEST_PART_BYTES));
        // opening leaves it: it may be the upload in flight of another process on this bucket
        assertThat(s3.unfinishedUploads(bucket.bucket())).containsExactly(key);
        try {
            assertThat(await(reopened.removeLeftovers())).isEqualTo(1);
        } finally {
            await(reopened.close());
        }

        assertThat(s3.unfinishedUploads(bucket.bucket())).isEmpty();
    }

    @Test
    void aBucketThatCannotBeUsedIsRefusedByNameWithoutTheSecret() {
        BlobLocation.S3 missing = new BlobLocation.S3("no-such-bucket", bucket.endpoint(), bucket.region(), true, false, "");
        assertThatThrownBy(() -> await(BlobStores.s3(vertx, missing, credentials(), TEST_PART_BYTES)))
                .hasMessageContaining("the blob bucket no-such-bucket cannot be used at " + s3.endpoint());

        StaticCredentialsProvider wrong = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(S3Server.ACCESS_KEY, "not-the-secret-key"));
        assertThatThrownBy(() -> await(BlobStores.s3(vertx, bucket, wrong, TEST_PART_BYTES)))
                .hasMessageContaining("the blob bucket " + bucket.bucket() + " cannot be used")
                .hasMessageNotContaining("not-the-secret-key");
    }

    @Test
    void withPresignedRedirectsAStoredBlobHasAShortLivedUrlOfItsBytes() throws Exception {
        byte[] bytes = random(30_000, 9);
        Sha256 digest = Sha256.of(bytes);
        put(digest, bytes, 1 << 20);
        assertThat(on(() -> store.downloadUrl(digest))).as("redirects are off unless asked for").isEmpty();

        BlobLocation.S3 redirecting = new BlobLocation.S3(bucket.bucket(), bucket.endpoint(), bucket.region(), true, true, "");
        BlobStore presigning = await(BlobStores.s3(vertx, redirecting, credentials(), TEST_PART_BYTES));
        try {
            Optional<URI> url = on(() -> presigning.downloadUrl(digest));
            assertThat(url).isPresent();
            assertThat(url.get().getQuery()).contains("X-Amz-Expires=300").doesNotContain(S3Server.SECRET_KEY);
            HttpResponse<byte[]> fetched = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url.get()).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(fetched.statusCode()).isEqualTo(200);
            assertThat(fetched.body()).isEqualTo(bytes);
        } finally {
            await(presigning.close());
        }
    }
}
