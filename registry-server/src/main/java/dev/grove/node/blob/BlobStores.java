package dev.grove.node.blob;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/** Factories of {@link BlobStore}s. */
public final class BlobStores {

    private BlobStores() {
    }

    /**
     * A store in a local directory: {@code <dir>/sha256/<first two hex digits>/<64 hex digits>}. Creates the directory (on
     * a worker thread) before the future succeeds; the temporary files a crash left stay until
     * {@link BlobStore#removeLeftovers}.
     */
    public static Future<BlobStore> local(Vertx vertx, Path dir) {
        LocalBlobStore store = new LocalBlobStore(vertx, dir.toAbsolutePath().normalize());
        return store.prepare().map(v -> store);
    }

    /**
     * A store in a bucket of an S3-compatible service, with the SDK's standard credentials chain (the environment's
     * {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY} first). Checks that the bucket can be used (on a worker
     * thread) before the future succeeds; fails with a message that names the bucket and the service's answer, never a
     * credential. The multipart uploads a crash left stay until {@link BlobStore#removeLeftovers}.
     */
    public static Future<BlobStore> s3(Vertx vertx, BlobLocation.S3 location) {
        return s3(vertx, location, DefaultCredentialsProvider.builder().build(), S3BlobStore.PART_BYTES);
    }

    static Future<BlobStore> s3(Vertx vertx, BlobLocation.S3 location, AwsCredentialsProvider credentials, int partBytes) {
        S3BlobStore store;
        try {
            store = new S3BlobStore(vertx, location, credentials, partBytes);
        } catch (RuntimeException e) {
            // e.g. no region given and none in the environment
            return Future.failedFuture(new IllegalArgumentException("--blobs " + location + ": " + e.getMessage(), e));
        }
        return store.prepare().<BlobStore>map(v -> store)
                .recover(e -> store.close().transform(ignored -> Future.failedFuture(e)));
    }

    /** The store {@code location} names: {@code local} is {@code localDir}. */
    public static Future<BlobStore> open(Vertx vertx, BlobLocation location, Path localDir) {
        if (location instanceof BlobLocation.S3 s3) {
            return s3(vertx, s3);
        }
        return local(vertx, localDir);
    }
}
