package dev.grove.node.blob;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.crypto.Sha256;
import dev.grove.node.problem.DigestMismatch;
import dev.grove.node.problem.NotFound;
import dev.grove.node.problem.UploadInterrupted;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The local store on its own, fed from files (no HTTP). */
@ExtendWith(VertxExtension.class)
class LocalBlobStoreTest {

    @TempDir
    Path dir;

    @Test
    void removesUnfinishedUploadsWhenToldAndOnlyThen(Vertx vertx, VertxTestContext test) throws Exception {
        Path shard = Files.createDirectories(dir.resolve("sha256").resolve("ab"));
        Path leftover = Files.writeString(shard.resolve(".upload-1234.tmp"), "half");
        Path blob = Files.writeString(shard.resolve("ab" + "0".repeat(62)), "kept");

        BlobStores.local(vertx, dir)
                .compose(store -> {
                    // opening leaves it: it may be the upload in flight of another process on this directory
                    assertThat(leftover).exists();
                    return store.removeLeftovers();
                })
                .onComplete(test.succeeding(removed -> test.verify(() -> {
                    assertThat(removed).isEqualTo(1);
                    assertThat(leftover).doesNotExist();
                    assertThat(blob).exists();
                    test.completeNow();
                })));
    }

    @Test
    void putStatAndReadRoundTrip(Vertx vertx, VertxTestContext test) throws Exception {
        byte[] bytes = "a small document".getBytes(StandardCharsets.UTF_8);
        Sha256 digest = Sha256.of(bytes);
        Path source = Files.write(dir.resolve("source"), bytes);

        BlobStores.local(vertx, dir.resolve("store"))
                .compose(store -> vertx.fileSystem().open(source.toString(), new io.vertx.core.file.OpenOptions())
                        .compose(file -> {
                            file.pause();
                            return store.put(digest, file, 1024);
                        })
                        .compose(info -> store.stat(digest).map(stat -> {
                            assertThat(info).isEqualTo(new BlobInfo(digest, bytes.length));
                            assertThat(stat).contains(info);
                            return store;
                        }))
                        .compose(s -> s.read(digest, 1024))
                        .compose(read -> {
                            assertThat(read.getBytes()).isEqualTo(bytes);
                            return store.stat(Sha256.of(new byte[0]));
                        }))
                .onComplete(test.succeeding(missing -> test.verify(() -> {
                    assertThat(missing).isEqualTo(Optional.empty());
                    test.completeNow();
                })));
    }

    @Test
    void writesARangeToAStreamAndRefusesAMissingBlob(Vertx vertx, VertxTestContext test) throws Exception {
        byte[] bytes = "0123456789".getBytes(StandardCharsets.UTF_8);
        Sha256 digest = Sha256.of(bytes);
        Path source = Files.write(dir.resolve("source"), bytes);
        Path copy = dir.resolve("copy");
        Path empty = dir.resolve("empty");
        io.vertx.core.file.OpenOptions write = new io.vertx.core.file.OpenOptions().setWrite(true).setCreate(true);

        BlobStores.local(vertx, dir.resolve("store"))
                .compose(store -> vertx.fileSystem().open(source.toString(), new io.vertx.core.file.OpenOptions())
                        .compose(file -> {
                            file.pause();
                            return store.put(digest, file, 1024);
                        })
                        .compose(info -> vertx.fileSystem().open(copy.toString(), write))
                        .compose(sink -> store.writeTo(digest, new ByteRange(2, 5), sink))
                        .compose(v -> vertx.fileSystem().open(empty.toString(), write))
                        .compose(sink -> store.writeTo(digest, new ByteRange(3, 2), sink))
                        .compose(v -> vertx.fileSystem().open(dir.resolve("never").toString(), write))
                        .compose(sink -> store.writeTo(Sha256.of(new byte[0]), ByteRange.all(0), sink)
                                .eventually(sink::close)))
                .onComplete(test.failing(e -> test.verify(() -> {
                    assertThat(e).isInstanceOf(NotFound.class)
                            .hasMessage("no blob " + Sha256.of(new byte[0]) + " on this node");
                    assertThat(Files.readString(copy)).isEqualTo("2345");
                    assertThat(Files.size(empty)).isZero();
                    test.completeNow();
                })));
    }

    @Test
    void aMismatchLeavesNothingBehind(Vertx vertx, VertxTestContext test) throws Exception {
        Path source = Files.writeString(dir.resolve("source"), "these bytes");
        Sha256 claimed = Sha256.of("other bytes".getBytes(StandardCharsets.UTF_8));

        BlobStores.local(vertx, dir.resolve("store"))
                .compose(store -> vertx.fileSystem().open(source.toString(), new io.vertx.core.file.OpenOptions())
                        .compose(file -> {
                            file.pause();
                            return store.put(claimed, file, 1024);
                        }))
                .onComplete(test.failing(e -> test.verify(() -> {
                    assertThat(e).isInstanceOf(DigestMismatch.class);
                    assertThat(((DigestMismatch) e).expected()).isEqualTo(claimed);
                    try (var files = Files.walk(dir.resolve("store"))) {
                        assertThat(files.filter(Files::isRegularFile)).isEmpty();
                    }
                    test.completeNow();
                })));
    }

    /**
     * A body whose connection fails while the store is still opening its file (before it reads): the store must see it
     * and leave no file behind, not wait forever with the file open.
     */
    @Test
    void aBodyThatFailsBeforeTheFileIsOpenLeavesNothingBehind(Vertx vertx, VertxTestContext test) throws Exception {
        Sha256 digest = Sha256.of("never sent".getBytes(StandardCharsets.UTF_8));
        BlobStores.local(vertx, dir.resolve("store")).onComplete(test.succeeding(store -> {
            FailingStream body = new FailingStream();
            io.vertx.core.Future<BlobInfo> put = store.put(digest, body, 1024);
            body.fail(new java.io.IOException("connection reset")); // while the file is being opened
            put.timeout(10, java.util.concurrent.TimeUnit.SECONDS).onComplete(test.failing(e -> test.verify(() -> {
                assertThat(e).isInstanceOf(UploadInterrupted.class);
                assertThat(e.getCause()).hasMessage("connection reset");
                try (var files = Files.walk(dir.resolve("store"))) {
                    assertThat(files.filter(Files::isRegularFile)).isEmpty();
                }
                test.completeNow();
            })));
        }));
    }

    /** A paused stream that fails once, to whatever exception handler is set then, and forgets it (as a request does). */
    static final class FailingStream implements io.vertx.core.streams.ReadStream<io.vertx.core.buffer.Buffer> {
        private io.vertx.core.Handler<Throwable> exceptionHandler;

        void fail(Throwable failure) {
            if (exceptionHandler != null) {
                exceptionHandler.handle(failure);
            }
        }

        @Override
        public FailingStream exceptionHandler(io.vertx.core.Handler<Throwable> handler) {
            exceptionHandler = handler;
            return this;
        }

        @Override
        public FailingStream handler(io.vertx.core.Handler<io.vertx.core.buffer.Buffer> handler) {
            return this;
        }

        @Override
        public FailingStream pause() {
            return this;
        }

        @Override
        public FailingStream resume() {
            return this;
        }

        @Override
        public FailingStream fetch(long amount) {
            return this;
        }

        @Override
        public FailingStream endHandler(io.vertx.core.Handler<Void> endHandler) {
            return this;
        }
    }
}
