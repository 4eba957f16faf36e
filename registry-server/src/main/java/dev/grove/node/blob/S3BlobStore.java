package dev.grove.node.blob;

import dev.grove.crypto.Sha256;
import dev.grove.node.problem.DigestMismatch;
import dev.grove.node.problem.NodeFailure;
import dev.grove.node.problem.NotFound;
import dev.grove.node.problem.StorageUnavailable;
import dev.grove.node.problem.TooLarge;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * {@link BlobStore} in a bucket of an S3-compatible service. A blob is the object {@code <prefix>blobs/sha256/<hex>}.
 *
 * <p>An upload is hashed while it streams in and sent on in parts: a blob smaller than a part ({@value #PART_BYTES}
 * bytes) in one {@code PutObject} once its last byte has arrived, a larger one as a multipart upload to its final key,
 * at most two parts held in memory (one being sent, one filling; the body is paused while both are full). The digest is
 * compared before the {@code PutObject} is sent or the multipart upload completed, which is the moment the object
 * appears, whole, under its key: S3 never shows a partial object, so there is no temporary object to copy and delete,
 * and a mismatch, an oversized or broken body or a storage failure aborts the multipart upload. A crash leaves at most an
 * unfinished multipart upload, which is never visible as an object and is aborted by {@link #removeLeftovers} (the node
 * calls it at start when no other process of the node runs).
 *
 * <p>Every SDK call is blocking and runs on this store's own worker pool, never on an event loop; bytes are moved between
 * the pool and the event loop in chunks, with back-pressure on both sides.
 */
final class S3BlobStore implements BlobStore {

    static final int PART_BYTES = 8 << 20;
    static final String BLOBS = "blobs/sha256/";
    static final Duration PRESIGNED_EXPIRY = Duration.ofMinutes(5);
    private static final int READ_CHUNK = 256 << 10;
    private static final int WORKERS = 16;
    private static final Logger LOG = LoggerFactory.getLogger(S3BlobStore.class);

    private final BlobLocation.S3 location;
    private final WorkerExecutor workers;
    private final S3Client s3;
    private final S3Presigner presigner;
    private final int partBytes;

    S3BlobStore(Vertx vertx, BlobLocation.S3 location, AwsCredentialsProvider credentials, int partBytes) {
        this.location = location;
        this.partBytes = partBytes;
        this.workers = vertx.createSharedWorkerExecutor("grove-s3-blobs", WORKERS);
        S3ClientBuilder client = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(60)))
                .credentialsProvider(credentials)
                .forcePathStyle(location.pathStyle())
                // the node checks the SHA-256 of every blob itself; the SDK's extra CRC trailers are not understood
                // by every S3-compatible service
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        S3Presigner.Builder presign = S3Presigner.builder()
                .credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(location.pathStyle()).build());
        location.endpoint().ifPresent(endpoint -> {
            client.endpointOverride(endpoint);
            presign.endpointOverride(endpoint);
        });
        location.region().map(Region::of).ifPresent(region -> {
            client.region(region);
            presign.region(region);
        });
        this.s3 = client.build();
        this.presigner = presign.build();
    }

    /** Checks that the bucket can be reached with the credentials. */
    Future<Void> prepare() {
        return this.<Void>blocking(() -> {
            s3.headBucket(b -> b.bucket(location.bucket()));
            return null;
        }).recover(e -> Future.failedFuture(new IllegalStateException("the blob bucket " + location.bucket()
                + " cannot be used" + location.endpoint().map(u -> " at " + u).orElse("") + ": "
                + (e.getCause() == null ? e : e.getCause()).getMessage(), e)));
    }

    /**
     * Aborts the unfinished multipart uploads under this store's keys (the prefix belongs to one node, as a data
     * directory does): those a crash left, and any in flight, hence only when no other process of the node runs.
     */
    @Override
    public Future<Integer> removeLeftovers() {
        return this.<Integer>blocking(() -> {
            int aborted = 0;
            for (MultipartUpload upload : s3.listMultipartUploadsPaginator(l -> l.bucket(location.bucket())
                    .prefix(location.prefix() + BLOBS)).uploads()) {
                s3.abortMultipartUpload(a -> a.bucket(location.bucket()).key(upload.key()).uploadId(upload.uploadId()));
                aborted++;
            }
            if (aborted > 0) {
                LOG.info("aborted {} unfinished multipart upload(s) under s3://{}/{}", aborted, location.bucket(),
                        location.prefix() + BLOBS);
            }
            return aborted;
        }).recover(e -> Future.failedFuture(new IllegalStateException("the unfinished uploads in the blob bucket "
                + location.bucket() + " cannot be listed or aborted: "
                + (e.getCause() == null ? e : e.getCause()).getMessage(), e)));
    }

    /** The object key of a blob. */
    String keyOf(Sha256 digest) {
        return location.prefix() + BLOBS + digest.hex();
    }

    @Override
    public Future<BlobInfo> put(Sha256 expected, ReadStream<Buffer> body, long maxBytes) {
        // as in the local store: the body may fail while the object is looked up, before the upload listens
        Promise<Void> aborted = Promise.promise();
        body.exceptionHandler(aborted::tryFail);
        return stat(expected).compose(existing -> {
            Upload upload = new Upload(expected, body, maxBytes, existing.isEmpty());
            return upload.run(aborted.future());
        });
    }

    /** One upload, its state touched only on the event loop that delivers the body. */
    private final class Upload {
        private final Sha256 expected;
        private final String key;
        private final ReadStream<Buffer> body;
        private final long maxBytes;
        private final boolean store;
        private final MessageDigest sha256 = UploadBodies.sha256();
        private final Promise<Received> received = Promise.promise();
        private final List<CompletedPart> parts = new ArrayList<>();
        private Part filling = new Part();
        private long size;
        private int partsSent;
        /** The multipart upload's id once created; only then is there anything to abort. */
        private Future<String> uploadId;
        /** The last part sent (or being sent); the next waits for it. */
        private Future<Void> sending = Future.succeededFuture();

        Upload(Sha256 expected, ReadStream<Buffer> body, long maxBytes, boolean store) {
            this.expected = expected;
            this.key = keyOf(expected);
            this.body = body;
            this.maxBytes = maxBytes;
            this.store = store;
        }

        Future<BlobInfo> run(Future<Void> aborted) {
            if (aborted.failed()) {
                return Future.failedFuture(UploadBodies.interrupted(aborted.cause()));
            }
            body.exceptionHandler(e -> received.tryFail(UploadBodies.interrupted(e)));
            body.handler(this::chunk);
            body.endHandler(v -> received.tryComplete(new Received(Sha256.fromBytes(sha256.digest()), size)));
            body.resume();
            return received.future()
                    .compose(r -> r.digest().equals(expected)
                            ? Future.succeededFuture(new BlobInfo(expected, r.size()))
                            : Future.<BlobInfo>failedFuture(new DigestMismatch(expected, r.digest(), r.size())))
                    .compose(info -> store ? commit().map(info) : Future.succeededFuture(info))
                    .recover(e -> {
                        body.pause();
                        return abort().transform(ignored -> Future.failedFuture(e));
                    });
        }

        private void chunk(Buffer chunk) {
            if (received.future().isComplete()) {
                return;
            }
            size += chunk.length();
            if (size > maxBytes) {
                body.pause();
                received.tryFail(new TooLarge("the blob is larger than the " + maxBytes + " bytes this node accepts",
                        OptionalLong.of(maxBytes)));
                return;
            }
            byte[] bytes = chunk.getBytes();
            sha256.update(bytes);
            if (!store) {
                return;
            }
            filling.append(bytes);
            if (filling.length() >= partBytes) {
                Part full = filling;
                filling = new Part();
                send(full);
            }
        }

        /** Sends a full part after the one before it; pauses the body while that one is still on its way. */
        private void send(Part part) {
            int number = ++partsSent;
            if (uploadId == null) {
                uploadId = blocking(() -> s3.createMultipartUpload(c -> c.bucket(location.bucket()).key(key)).uploadId());
            }
            boolean waiting = !sending.isComplete();
            if (waiting) {
                body.pause();
            }
            sending = sending.compose(v -> uploadId).compose(id -> {
                if (waiting && !received.future().failed()) {
                    body.resume();
                }
                return blocking(() -> s3.uploadPart(u -> u.bucket(location.bucket()).key(key).uploadId(id)
                        .partNumber(number).contentLength((long) part.length()), part.body()).eTag());
            }).map(etag -> {
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
                return (Void) null;
            });
            sending.onFailure(e -> {
                body.pause();
                received.tryFail(e);
            });
        }

        /** Makes the checked bytes visible under their key: one PutObject, or the rest of the multipart upload. */
        private Future<Void> commit() {
            if (uploadId == null) {
                Part whole = filling;
                return blocking(() -> s3.putObject(p -> p.bucket(location.bucket()).key(key)
                        .contentLength((long) whole.length()).contentType("application/octet-stream"), whole.body()))
                        .mapEmpty();
            }
            if (filling.length() > 0) {
                send(filling);
                filling = new Part();
            }
            return sending.compose(v -> uploadId).compose(id -> blocking(() -> s3.completeMultipartUpload(c -> c
                    .bucket(location.bucket()).key(key).uploadId(id)
                    .multipartUpload(m -> m.parts(List.copyOf(parts)))))).mapEmpty();
        }

        /** Aborts the multipart upload, if one was started, once the part on its way has settled. */
        private Future<Void> abort() {
            if (uploadId == null) {
                return Future.succeededFuture();
            }
            return sending.transform(ignored -> uploadId).transform(id -> id.failed() ? Future.succeededFuture()
                    : blocking(() -> s3.abortMultipartUpload(a -> a.bucket(location.bucket()).key(key)
                    .uploadId(id.result()))).<Void>mapEmpty()
                    .recover(e -> {
                        // the upload stays invisible; the next start aborts it
                        LOG.warn("could not abort the multipart upload of {}: {}", key, e.toString());
                        return Future.succeededFuture();
                    }));
        }
    }

    private record Received(Sha256 digest, long size) {
    }

    /** The bytes of one part (or of a whole small blob), grown as chunks arrive. */
    private static final class Part {
        private byte[] bytes = new byte[64 << 10];
        private int length;

        void append(byte[] chunk) {
            if (length + chunk.length > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + chunk.length));
            }
            System.arraycopy(chunk, 0, bytes, length, chunk.length);
            length += chunk.length;
        }

        int length() {
            return length;
        }

        /** The bytes without a copy; a stream that can be reset, so that the SDK may sign it and retry. */
        RequestBody body() {
            return RequestBody.fromInputStream(new ByteArrayInputStream(bytes, 0, length), length);
        }
    }

    @Override
    public Future<Optional<BlobInfo>> stat(Sha256 digest) {
        return blocking(() -> {
            try {
                HeadObjectResponse head = s3.headObject(h -> h.bucket(location.bucket()).key(keyOf(digest)));
                return Optional.of(new BlobInfo(digest, head.contentLength()));
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    return Optional.<BlobInfo>empty();
                }
                throw e;
            }
        });
    }

    @Override
    public Future<Void> writeTo(Sha256 digest, ByteRange range, WriteStream<Buffer> sink) {
        if (range.length() == 0) {
            return stat(digest).compose(info -> info.isPresent() ? sink.end() : Future.failedFuture(notFound(digest)));
        }
        return blocking(() -> open(digest, Optional.of(range))).compose(in -> {
            Promise<Void> done = Promise.promise();
            sink.exceptionHandler(done::tryFail);
            copy(in, range.length(), sink, done);
            // a copy that stopped early closes the connection to the storage rather than read the rest of the object
            return done.future().eventually(() -> blocking(() -> {
                if (!done.future().succeeded()) {
                    in.abort();
                }
                in.close();
                return null;
            }).recover(e -> Future.succeededFuture()));
        });
    }

    /** Reads the next chunk on a worker, writes it to {@code sink} on the event loop, waits for it to drain, repeats. */
    private void copy(ResponseInputStream<GetObjectResponse> in, long remaining, WriteStream<Buffer> sink,
                      Promise<Void> done) {
        blocking(() -> in.readNBytes((int) Math.min(READ_CHUNK, remaining))).onComplete(read -> {
            if (done.future().isComplete()) {
                return;
            }
            if (read.failed()) {
                done.tryFail(read.cause());
                return;
            }
            byte[] bytes = read.result();
            if (bytes.length == 0) {
                done.tryFail(new IOException("the stored object ended " + remaining + " bytes early"));
                return;
            }
            long left = remaining - bytes.length;
            sink.write(Buffer.buffer(bytes)).onFailure(done::tryFail);
            if (left == 0) {
                sink.end().onComplete(done);
            } else if (sink.writeQueueFull()) {
                sink.drainHandler(v -> copy(in, left, sink, done));
            } else {
                copy(in, left, sink, done);
            }
        });
    }

    /** Opens the object (or a range of it); blocking. */
    private ResponseInputStream<GetObjectResponse> open(Sha256 digest, Optional<ByteRange> range) {
        try {
            return s3.getObject(g -> {
                g.bucket(location.bucket()).key(keyOf(digest));
                range.ifPresent(r -> g.range("bytes=" + r.first() + "-" + r.last()));
            });
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw notFound(digest);
            }
            throw e;
        }
    }

    @Override
    public Future<Buffer> read(Sha256 digest, long maxBytes) {
        return blocking(() -> {
            try (ResponseInputStream<GetObjectResponse> in = open(digest, Optional.empty())) {
                long size = in.response().contentLength();
                if (size > maxBytes) {
                    in.abort();
                    throw new TooLarge("blob " + digest + " is " + size + " bytes, more than the " + maxBytes
                            + " allowed here");
                }
                return Buffer.buffer(in.readAllBytes());
            }
        });
    }

    @Override
    public Future<Optional<URI>> downloadUrl(Sha256 digest) {
        if (!location.presignedRedirects()) {
            return Future.succeededFuture(Optional.empty());
        }
        // on a worker: resolving the credentials may read files or ask an instance metadata service
        return blocking(() -> Optional.of(toUri(presigner.presignGetObject(p -> p.signatureDuration(PRESIGNED_EXPIRY)
                .getObjectRequest(g -> g.bucket(location.bucket()).key(keyOf(digest)))).url())));
    }

    private static URI toUri(java.net.URL url) {
        try {
            return url.toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the SDK presigned a URL that is not a URI: " + e.getMessage(), e);
        }
    }

    @Override
    public Future<Void> close() {
        return this.<Void>blocking(() -> {
            s3.close();
            presigner.close();
            return null;
        }).eventually(workers::close);
    }

    /**
     * Runs a blocking SDK call on this store's workers. A domain failure passes through; a failure of the storage
     * service or of reaching it becomes {@link StorageUnavailable} (logged here: the client is told nothing of it).
     */
    private <T> Future<T> blocking(Callable<T> call) {
        return workers.executeBlocking(() -> {
            try {
                return call.call();
            } catch (NodeFailure f) {
                throw f;
            } catch (SdkException | IOException e) {
                LOG.warn("blob storage s3://{} failed: {}", location.bucket(), e.toString());
                throw new StorageUnavailable(e);
            }
        }, false);
    }

    private static NotFound notFound(Sha256 digest) {
        return new NotFound("no blob " + digest + " on this node");
    }
}
