package dev.grove.node.blob;

import dev.grove.crypto.Sha256;
import dev.grove.node.problem.DigestMismatch;
import dev.grove.node.problem.NotFound;
import dev.grove.node.problem.TooLarge;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link BlobStore} in a local directory. A blob is {@code <root>/sha256/<hex[0..2]>/<hex>}. An upload is written to
 * {@code .upload-<uuid>.tmp} in the blob's own directory, fsynced, then atomically renamed into place and the directory
 * fsynced, so a crash leaves either the whole blob or a temporary file that {@link #removeLeftovers} removes (the node
 * calls it at start when no other process of the node runs).
 *
 * <p>All file I/O goes through Vert.x's asynchronous file system or runs on a worker thread.
 */
final class LocalBlobStore implements BlobStore {

    static final String TEMP_PREFIX = ".upload-";
    static final String TEMP_SUFFIX = ".tmp";
    private static final Logger LOG = LoggerFactory.getLogger(LocalBlobStore.class);

    private final Vertx vertx;
    private final FileSystem fs;
    private final Path root;

    LocalBlobStore(Vertx vertx, Path root) {
        this.vertx = vertx;
        this.fs = vertx.fileSystem();
        this.root = root;
    }

    /** Creates the directory. */
    Future<Void> prepare() {
        return vertx.executeBlocking(() -> {
            Files.createDirectories(root.resolve("sha256"));
            return null;
        }, false);
    }

    /** Removes the temporary files ({@code .upload-*.tmp}) that uploads cut by a crash left. */
    @Override
    public Future<Integer> removeLeftovers() {
        return vertx.executeBlocking(() -> {
            Path base = root.resolve("sha256");
            int removed = 0;
            try (Stream<Path> files = Files.walk(base, 2)) {
                for (Path p : files.filter(LocalBlobStore::isTemporary).toList()) {
                    Files.deleteIfExists(p);
                    removed++;
                }
            }
            if (removed > 0) {
                LOG.info("removed {} unfinished upload(s) from {}", removed, base);
            }
            return removed;
        }, false);
    }

    private static boolean isTemporary(Path p) {
        String name = p.getFileName().toString();
        return name.startsWith(TEMP_PREFIX) && name.endsWith(TEMP_SUFFIX) && Files.isRegularFile(p);
    }

    /** Where the blob with this digest is (or would be) stored. */
    Path pathOf(Sha256 digest) {
        String hex = digest.hex();
        return root.resolve("sha256").resolve(hex.substring(0, 2)).resolve(hex);
    }

    @Override
    public Future<BlobInfo> put(Sha256 expected, ReadStream<Buffer> body, long maxBytes) {
        // the body can fail (its connection closed) while the file is being opened, before receive() listens: a paused
        // stream does not keep that for later, so it is caught from the start
        Promise<Void> aborted = Promise.promise();
        body.exceptionHandler(aborted::tryFail);
        Path target = pathOf(expected);
        return fs.exists(target.toString()).compose(exists -> exists
                ? receive(body, Optional.empty(), maxBytes, aborted.future()).compose(received -> check(expected, received))
                : store(expected, target, body, maxBytes, aborted.future()));
    }

    private Future<BlobInfo> store(Sha256 expected, Path target, ReadStream<Buffer> body, long maxBytes,
                                   Future<Void> aborted) {
        Path temp = target.resolveSibling(TEMP_PREFIX + UUID.randomUUID() + TEMP_SUFFIX);
        return fs.mkdirs(target.getParent().toString())
                .compose(v -> fs.open(temp.toString(), new OpenOptions().setWrite(true).setCreateNew(true)))
                .compose(file -> receive(body, Optional.of(file), maxBytes, aborted)
                        .compose(received -> file.flush().map(received)) // flush = fsync, after queued writes
                        .eventually(file::close)
                        .compose(received -> check(expected, received))
                        .compose(info -> publish(temp, target).map(info))
                        .recover(e -> fs.delete(temp.toString()).transform(ignored -> Future.failedFuture(e))));
    }

    private Future<Void> publish(Path temp, Path target) {
        return vertx.executeBlocking(() -> {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            } catch (IOException e) {
                LOG.debug("could not fsync {}: {}", target.getParent(), e.toString());
            }
            return null;
        }, false);
    }

    private static Future<BlobInfo> check(Sha256 expected, Received received) {
        if (!received.digest().equals(expected)) {
            return Future.failedFuture(new DigestMismatch(expected, received.digest(), received.size()));
        }
        return Future.succeededFuture(new BlobInfo(expected, received.size()));
    }

    private record Received(Sha256 digest, long size) {
    }

    /**
     * Reads the body to its end, hashing it and writing it to {@code file} with back-pressure; fails at once if the body
     * already failed ({@code aborted}) before this listened.
     */
    private static Future<Received> receive(ReadStream<Buffer> body, Optional<AsyncFile> file, long maxBytes,
                                            Future<Void> aborted) {
        Promise<Received> promise = Promise.promise();
        if (aborted.failed()) {
            return Future.failedFuture(UploadBodies.interrupted(aborted.cause()));
        }
        MessageDigest sha256 = UploadBodies.sha256();
        long[] size = {0};
        body.exceptionHandler(e -> promise.tryFail(UploadBodies.interrupted(e)));
        body.handler(chunk -> {
            if (promise.future().isComplete()) {
                return;
            }
            size[0] += chunk.length();
            if (size[0] > maxBytes) {
                body.pause();
                promise.tryFail(new TooLarge("the blob is larger than the " + maxBytes + " bytes this node accepts",
                        OptionalLong.of(maxBytes)));
                return;
            }
            sha256.update(chunk.getBytes());
            file.ifPresent(f -> {
                f.write(chunk).onFailure(promise::tryFail);
                if (f.writeQueueFull()) {
                    body.pause();
                    f.drainHandler(v -> body.resume());
                }
            });
        });
        body.endHandler(v -> promise.tryComplete(new Received(Sha256.fromBytes(sha256.digest()), size[0])));
        body.resume();
        return promise.future();
    }

    @Override
    public Future<Optional<BlobInfo>> stat(Sha256 digest) {
        String path = pathOf(digest).toString();
        return fs.exists(path).compose(exists -> exists
                ? fs.props(path).map(props -> Optional.of(new BlobInfo(digest, props.size())))
                : Future.succeededFuture(Optional.empty()));
    }

    @Override
    public Future<Void> writeTo(Sha256 digest, ByteRange range, WriteStream<Buffer> sink) {
        String path = pathOf(digest).toString();
        return fs.open(path, new OpenOptions().setRead(true).setWrite(false).setCreate(false))
                .recover(e -> fs.exists(path).compose(exists -> Future.failedFuture(exists ? e : notFound(digest))))
                .compose(file -> {
                    if (range.length() == 0) {
                        return file.close().compose(v -> sink.end());
                    }
                    // a failure part-way leaves the sink open: its owner cuts it rather than end it short
                    return file.setReadPos(range.first()).setReadLength(range.length())
                            .pipe().endOnFailure(false).to(sink)
                            .eventually(file::close);
                });
    }

    @Override
    public Optional<Path> localFile(Sha256 digest) {
        return Optional.of(pathOf(digest));
    }

    private static NotFound notFound(Sha256 digest) {
        return new NotFound("no blob " + digest + " on this node");
    }

    @Override
    public Future<Buffer> read(Sha256 digest, long maxBytes) {
        return stat(digest).compose(info -> {
            if (info.isEmpty()) {
                return Future.failedFuture(notFound(digest));
            }
            if (info.get().size() > maxBytes) {
                return Future.failedFuture(new TooLarge("blob " + digest + " is " + info.get().size()
                        + " bytes, more than the " + maxBytes + " allowed here"));
            }
            return fs.readFile(pathOf(digest).toString());
        });
    }

    /** The temporary files now in the store (for tests). */
    List<Path> temporaryFiles() throws IOException {
        try (Stream<Path> files = Files.walk(root.resolve("sha256"), 2)) {
            return files.filter(LocalBlobStore::isTemporary).toList();
        }
    }
}
