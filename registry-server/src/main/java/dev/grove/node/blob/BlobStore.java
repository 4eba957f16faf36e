package dev.grove.node.blob;

import dev.grove.crypto.Sha256;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import java.util.Optional;

/**
 * Content-addressed, immutable storage of artifact bytes. A blob's name is the SHA-256 of its bytes, so a stored blob never
 * changes and storing the same bytes twice is harmless. The store speaks bytes, streams and ranges; what they mean in HTTP
 * (statuses, headers, {@code HEAD}) is {@link BlobRoutes}'. Implementations: {@link BlobStores#local} (a directory) and
 * {@link BlobStores#s3} (a bucket of an S3-compatible service).
 *
 * <p>Every method is non-blocking and may be called from an event loop. Refusals are {@code dev.grove.node.problem}
 * failures.
 */
public interface BlobStore {

    /**
     * Streams {@code body} into the store, computing its SHA-256 on the way; never holds the whole blob in memory. The
     * caller pauses {@code body} before calling (an HTTP request must be paused before any asynchronous step) and this
     * method resumes it.
     *
     * <p>Durable once the future succeeds: the bytes are on disk and visible under {@code expected}. If the blob was
     * already stored, the body is still read and checked, and the stored blob is left as it is.
     *
     * @param expected the digest the caller claims for the bytes
     * @param maxBytes the most bytes accepted
     * @return the stored blob; fails with {@link dev.grove.node.problem.DigestMismatch} when the bytes do not match,
     *         {@link dev.grove.node.problem.TooLarge} (its limit {@code maxBytes}) when the body exceeds {@code maxBytes},
     *         {@link dev.grove.node.problem.UploadInterrupted} (its cause the body's own failure) when the body fails
     *         before its end; on failure nothing is stored and no temporary file is left
     */
    Future<BlobInfo> put(Sha256 expected, ReadStream<Buffer> body, long maxBytes);

    /** The blob's size, or empty when it is not stored. */
    Future<Optional<BlobInfo>> stat(Sha256 digest);

    /**
     * Writes the bytes of {@code range} of the blob to {@code sink} and ends it. Releases whatever it opened however the
     * copy ends; when the copy fails part-way, {@code sink} is not ended (its owner decides: an HTTP response is cut).
     *
     * @param range within the blob's size, as {@link #stat} reports it
     * @return fails with {@link dev.grove.node.problem.NotFound} when the blob is not stored (nothing written), or with
     *         the failure of reading or of {@code sink}
     */
    Future<Void> writeTo(Sha256 digest, ByteRange range, WriteStream<Buffer> sink);

    /**
     * The file that holds the blob, for a store whose blobs are files on this machine: the HTTP side then sends it
     * without copying it through the JVM (sendfile). Empty for a store that keeps its blobs elsewhere, and says nothing
     * of whether the blob is stored ({@link #stat} does).
     */
    default Optional<java.nio.file.Path> localFile(Sha256 digest) {
        return Optional.empty();
    }

    /**
     * Reads the whole blob into memory: only for small blobs (documents, headers). Fails with
     * {@link dev.grove.node.problem.NotFound} when it is not stored and {@link dev.grove.node.problem.TooLarge} when it is
     * larger than {@code maxBytes}.
     */
    Future<Buffer> read(Sha256 digest, long maxBytes);

    /**
     * A short-lived URL the client may fetch the blob's bytes from directly, so that they need not pass through the node
     * (a presigned URL of an object store); empty when the store offers none or was told not to. Says nothing of whether
     * the blob is stored ({@link #stat} does).
     */
    default Future<Optional<java.net.URI>> downloadUrl(Sha256 digest) {
        return Future.succeededFuture(Optional.empty());
    }

    /**
     * Removes what uploads cut by a crash left behind (temporary files, unfinished multipart uploads), invisible to
     * readers but taking space; returns how many. Any upload in flight is removed too, so call it only while no other
     * process writes to this store ({@link dev.grove.node.db.NodeProcesses#whenAlone}); the node does at start.
     */
    default Future<Integer> removeLeftovers() {
        return Future.succeededFuture(0);
    }

    /** Releases what the store holds (connections, threads); the node calls it last when it stops. */
    default Future<Void> close() {
        return Future.succeededFuture();
    }
}
