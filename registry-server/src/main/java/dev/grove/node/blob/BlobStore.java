package dev.grove.node.blob;

import dev.grove.crypto.Sha256;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.ReadStream;
import java.util.Optional;

/**
 * Content-addressed, immutable storage of artifact bytes. A blob's name is the SHA-256 of its bytes, so a stored blob never
 * changes and storing the same bytes twice is harmless. Implementations: {@link BlobStores#local}; S3-compatible storage later.
 *
 * <p>Every method is non-blocking and may be called from an event loop.
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
     * @return the stored blob; fails with a {@code ProblemException} 400 (detail naming the expected and actual digests,
     *         members {@code expected} and {@code actual}) when the bytes do not match, 413 when the body exceeds
     *         {@code maxBytes}, or the body's own failure; on failure nothing is stored and no temporary file is left
     */
    Future<BlobInfo> put(Sha256 expected, ReadStream<Buffer> body, long maxBytes);

    /** The blob's size, or empty when it is not stored. */
    Future<Optional<BlobInfo>> stat(Sha256 digest);

    /**
     * Sends {@code length} bytes of the blob from {@code offset} as the response body and ends the response (zero-copy
     * where the store allows). The caller has set the status and headers; the store sets {@code Content-Length}.
     * Fails (the response not ended) when the blob is not stored.
     */
    Future<Void> send(Sha256 digest, long offset, long length, HttpServerResponse response);

    /**
     * Reads the whole blob into memory: only for small blobs (documents, headers). Fails with a {@code ProblemException}
     * 404 when it is not stored and 413 when it is larger than {@code maxBytes}.
     */
    Future<Buffer> read(Sha256 digest, long maxBytes);
}
