package dev.grove.node.blob;

import static dev.grove.node.testing.TestNode.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.crypto.Sha256;
import dev.grove.node.problem.DigestMismatch;
import dev.grove.node.problem.NotFound;
import dev.grove.node.problem.TooLarge;
import dev.grove.node.problem.UploadInterrupted;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link BlobStore} promises, run against each store on its real storage (a directory, an S3 API server):
 * bytes, ranges, digest checks, bounds, and that an upload that does not finish leaves nothing behind.
 */
abstract class BlobStoreContract {

    Vertx vertx;
    Context context;
    BlobStore store;

    /** Opens a store on fresh, empty storage. */
    abstract Future<BlobStore> open(Vertx vertx) throws Exception;

    /** Whatever an upload that did not finish may have left in the storage (temporary files, unfinished uploads). */
    abstract List<String> leftovers() throws Exception;

    /** The blobs the storage holds, by the names it holds them under. */
    abstract Set<Sha256> stored() throws Exception;

    /** A blob larger than this is sent in parts by a store that has parts. */
    abstract int partBytes();

    @BeforeEach
    void openStore() throws Exception {
        vertx = Vertx.vertx();
        context = vertx.getOrCreateContext();
        store = await(open(vertx));
    }

    @AfterEach
    void closeStore() {
        try {
            await(store.close());
        } finally {
            await(vertx.close());
        }
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Runs {@code operation} on the test's context (where the body streams) and waits for it. */
    <T> T on(Supplier<Future<T>> operation) {
        Promise<T> done = Promise.promise();
        context.runOnContext(v -> operation.get().onComplete(done));
        return await(done.future().timeout(60, TimeUnit.SECONDS));
    }

    /** The failure of {@code operation}, which must fail. */
    Throwable failureOf(Supplier<Future<?>> operation) {
        Promise<Throwable> done = Promise.promise();
        context.runOnContext(v -> operation.get().onComplete(r -> {
            if (r.succeeded()) {
                done.fail(new AssertionError("expected a failure, got " + r.result()));
            } else {
                done.complete(r.cause());
            }
        }));
        return await(done.future().timeout(60, TimeUnit.SECONDS));
    }

    BlobInfo put(Sha256 digest, byte[] bytes, long maxBytes) {
        return on(() -> store.put(digest, BytesStream.of(context, bytes), maxBytes));
    }

    byte[] range(Sha256 digest, ByteRange range) {
        Sink sink = new Sink(context);
        on(() -> store.writeTo(digest, range, sink));
        assertThat(sink.ended).as("the sink is ended").isTrue();
        return sink.bytes.toByteArray();
    }

    @Test
    void putStatReadAndRangesRoundTrip() throws Exception {
        byte[] bytes = random(100_000, 1);
        Sha256 digest = Sha256.of(bytes);

        assertThat(put(digest, bytes, 1 << 20)).isEqualTo(new BlobInfo(digest, bytes.length));

        assertThat(on(() -> store.stat(digest))).contains(new BlobInfo(digest, bytes.length));
        assertThat(on(() -> store.read(digest, 1 << 20)).getBytes()).isEqualTo(bytes);
        assertThat(range(digest, ByteRange.all(bytes.length))).isEqualTo(bytes);
        assertThat(range(digest, new ByteRange(2, 5))).isEqualTo(Arrays.copyOfRange(bytes, 2, 6));
        assertThat(range(digest, new ByteRange(99_999, 99_999))).containsExactly(bytes[99_999]);
        assertThat(range(digest, new ByteRange(3, 2))).isEmpty();
        assertThat(on(() -> store.stat(Sha256.of(new byte[0])))).isEqualTo(Optional.empty());
        assertThat(stored()).containsExactly(digest);
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void anEmptyBlobIsABlobToo() throws Exception {
        Sha256 empty = Sha256.of(new byte[0]);
        assertThat(put(empty, new byte[0], 10)).isEqualTo(new BlobInfo(empty, 0));
        assertThat(on(() -> store.stat(empty))).contains(new BlobInfo(empty, 0));
        assertThat(range(empty, ByteRange.all(0))).isEmpty();
        assertThat(on(() -> store.read(empty, 10)).length()).isZero();
    }

    @Test
    void aBlobLargerThanAPartIsStoredWholeAndServedInRanges() throws Exception {
        byte[] bytes = random(2 * partBytes() + 12_345, 2);
        Sha256 digest = Sha256.of(bytes);

        assertThat(put(digest, bytes, bytes.length)).isEqualTo(new BlobInfo(digest, bytes.length));

        assertThat(stored()).containsExactly(digest);
        assertThat(leftovers()).isEmpty();
        assertThat(Sha256.of(range(digest, ByteRange.all(bytes.length)))).isEqualTo(digest);
        int boundary = partBytes();
        assertThat(range(digest, new ByteRange(boundary - 10, boundary + 9)))
                .isEqualTo(Arrays.copyOfRange(bytes, boundary - 10, boundary + 10));
        assertThat(failureOf(() -> store.read(digest, bytes.length - 1))).isInstanceOf(TooLarge.class);
    }

    @Test
    void aMismatchIsRefusedAndLeavesNothingBehind() throws Exception {
        for (int size : new int[] {5_000, partBytes() + 5_000}) {
            byte[] sent = random(size, 3);
            Sha256 claimed = Sha256.of(random(size, 4));

            Throwable e = failureOf(() -> store.put(claimed, BytesStream.of(context, sent), 1L << 30));

            assertThat(e).isInstanceOf(DigestMismatch.class);
            assertThat(((DigestMismatch) e).expected()).isEqualTo(claimed);
            assertThat(((DigestMismatch) e).actual()).isEqualTo(Sha256.of(sent));
            assertThat(stored()).as("after a %d-byte mismatch", size).isEmpty();
            assertThat(leftovers()).as("after a %d-byte mismatch", size).isEmpty();
        }
    }

    @Test
    void aBodyLargerThanTheLimitIsCutOffAndLeavesNothingBehind() throws Exception {
        byte[] bytes = random(2 * partBytes() + 1, 5);
        long limit = partBytes() + 10L; // past the first part: a multipart upload was begun

        Throwable e = failureOf(() -> store.put(Sha256.of(bytes), BytesStream.of(context, bytes), limit));

        assertThat(e).isInstanceOf(TooLarge.class);
        assertThat(((TooLarge) e).limit()).hasValue(limit);
        assertThat(stored()).isEmpty();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aBodyThatBreaksOffLeavesNothingBehind() throws Exception {
        for (long at : new long[] {1_000, partBytes() + 1_000L}) {
            byte[] bytes = random(2 * partBytes(), 6);

            Throwable e = failureOf(() -> store.put(Sha256.of(bytes), BytesStream.failingAfter(context, bytes, at), 1L << 30));

            assertThat(e).isInstanceOf(UploadInterrupted.class);
            assertThat(e.getCause()).hasMessage("connection reset");
            assertThat(stored()).as("broken off after %d bytes", at).isEmpty();
            assertThat(leftovers()).as("broken off after %d bytes", at).isEmpty();
        }
    }

    /**
     * A body whose connection fails while the store is still looking (before it reads): the store must see it and leave
     * nothing behind, not wait forever.
     */
    @Test
    void aBodyThatFailsBeforeTheStoreListensLeavesNothingBehind() throws Exception {
        Sha256 digest = Sha256.of("never sent".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        LocalBlobStoreTest.FailingStream body = new LocalBlobStoreTest.FailingStream();

        Throwable e = failureOf(() -> {
            Future<BlobInfo> put = store.put(digest, body, 1024);
            body.fail(new IOException("connection reset"));
            return put;
        });

        assertThat(e).isInstanceOf(UploadInterrupted.class);
        assertThat(e.getCause()).hasMessage("connection reset");
        assertThat(stored()).isEmpty();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void storingAStoredBlobAgainChecksTheBodyAndKeepsTheBlob() throws Exception {
        byte[] bytes = random(partBytes() + 7, 7);
        Sha256 digest = Sha256.of(bytes);
        put(digest, bytes, 1L << 30);

        assertThat(put(digest, bytes, 1L << 30)).isEqualTo(new BlobInfo(digest, bytes.length));
        byte[] other = random(bytes.length, 8);
        assertThat(failureOf(() -> store.put(digest, BytesStream.of(context, other), 1L << 30)))
                .isInstanceOf(DigestMismatch.class);

        assertThat(Sha256.of(range(digest, ByteRange.all(bytes.length)))).isEqualTo(digest);
        assertThat(stored()).containsExactly(digest);
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aMissingBlobIsNotFound() {
        Sha256 missing = Sha256.of(new byte[] {42});
        assertThat(failureOf(() -> store.writeTo(missing, new ByteRange(0, 0), new Sink(context))))
                .isInstanceOf(NotFound.class).hasMessage("no blob " + missing + " on this node");
        assertThat(failureOf(() -> store.writeTo(missing, ByteRange.all(0), new Sink(context))))
                .isInstanceOf(NotFound.class);
        assertThat(failureOf(() -> store.read(missing, 10))).isInstanceOf(NotFound.class);
    }

    /** A sink that collects what it is sent and is full after every write until its context drains it. */
    static final class Sink implements WriteStream<Buffer> {
        private final Context context;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean ended;
        private boolean full;
        private Handler<Void> drain;

        Sink(Context context) {
            this.context = context;
        }

        @Override
        public Sink exceptionHandler(Handler<Throwable> handler) {
            return this;
        }

        @Override
        public Future<Void> write(Buffer data) {
            if (ended) {
                return Future.failedFuture(new IllegalStateException("written after its end"));
            }
            bytes.writeBytes(data.getBytes());
            full = true;
            context.runOnContext(v -> {
                full = false;
                if (drain != null) {
                    Handler<Void> d = drain;
                    drain = null;
                    d.handle(null);
                }
            });
            return Future.succeededFuture();
        }

        @Override
        public Future<Void> end() {
            ended = true;
            return Future.succeededFuture();
        }

        @Override
        public Sink setWriteQueueMaxSize(int maxSize) {
            return this;
        }

        @Override
        public boolean writeQueueFull() {
            return full;
        }

        @Override
        public Sink drainHandler(Handler<Void> handler) {
            drain = handler;
            return this;
        }
    }
}
