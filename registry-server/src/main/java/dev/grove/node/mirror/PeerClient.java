package dev.grove.node.mirror;

import dev.grove.crypto.Sha256;
import dev.grove.federation.Fault;
import dev.grove.json.Json;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonException;
import dev.grove.json.JsonObject;
import dev.grove.node.blob.BlobInfo;
import dev.grove.node.blob.BlobStore;
import dev.grove.node.problem.DigestMismatch;
import dev.grove.node.problem.NodeFailure;
import dev.grove.node.problem.TooLarge;
import dev.grove.node.problem.UploadInterrupted;
import dev.grove.tlog.TilePath;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads one source of a log over HTTP, where its {@link SourceLayout} says: its identity, checkpoint, proofs, tiles and
 * blobs. Every failure to read is a {@link
 * PeerFault}: {@code unreachable} (connection, timeout), {@code http-error} (a status other than 200), {@code malformed}
 * (not JSON, too large), {@code tampered-blob} (bytes that do not match the signed digest). Whether what was read is
 * true is the follower's business, not this class's. Responses are bounded while they stream, not once read: documents
 * to {@link #MAX_DOCUMENT} bytes, tiles and entry bundles to {@link #MAX_TILE}, blobs to the size the signed contract
 * says; the read stops, and the connection is closed, at the first chunk past the bound (or at once, for a
 * {@code Content-Length} past it). Runs on the follower's event loop: it only moves bytes.
 */
final class PeerClient {

    /** Largest checkpoint, proof or node document read from a peer. */
    static final int MAX_DOCUMENT = 1 << 20;
    /** Largest hash tile or entry bundle read from a peer: a full bundle of entries of the largest size. */
    static final int MAX_TILE = TilePath.WIDTH * (2 + dev.grove.tlog.EntryBundle.MAX_ENTRY_SIZE);
    private static final long TIMEOUT_MS = 30_000;

    private final HttpClient http;
    private final SourceLayout layout;
    private final String base;

    PeerClient(HttpClient http, SourceLayout layout) {
        this.http = http;
        this.layout = layout;
        this.base = layout.url();
    }

    String url() {
        return base;
    }

    SourceLayout layout() {
        return layout;
    }

    /**
     * The node document {@code {"publicUrl","logOrigin","logKey"}}; a {@code malformed} fault for a source that has none
     * (a mirror's copy of another log, a static folder), whose key must be configured.
     */
    Future<JsonObject> node() {
        if (layout.identity().isEmpty()) {
            return Future.failedFuture(new PeerFault(Fault.Kind.MALFORMED, base + " serves a copy of another origin's "
                    + "log, which names no key of its own: configure the origin's key (URL#KEY)"));
        }
        String url = layout.identity().get();
        // a peer's bytes: the project's strict reader, as for every other untrusted document
        return get(url, MAX_DOCUMENT).map(body -> {
            try {
                return Json.parseObject(body.getBytes());
            } catch (JsonException e) {
                throw new PeerFault(Fault.Kind.MALFORMED, url + " is not a JSON object: " + e.getMessage());
            }
        });
    }

    /** The signed checkpoint note as served. */
    Future<String> checkpoint() {
        return get(layout.log() + "/checkpoint", MAX_DOCUMENT).map(Buffer::toString);
    }

    /**
     * The consistency proof's hashes from the source's endpoint; an {@code http-error} fault for a source without one
     * (the follower then computes them from the hash tiles).
     */
    Future<List<byte[]>> consistency(long from, long to) {
        if (layout.consistency().isEmpty()) {
            return Future.failedFuture(new PeerFault(Fault.Kind.HTTP_ERROR, base + " has no consistency endpoint"));
        }
        return get(layout.consistency().get() + "?from=" + from + "&to=" + to, MAX_DOCUMENT).map(body -> {
            try {
                JsonArray hashes = Json.parseObject(body.getBytes()).array("hashes");
                List<byte[]> out = new ArrayList<>(hashes.size());
                for (int i = 0; i < hashes.size(); i++) {
                    out.add(Base64.getDecoder().decode(hashes.string(i)));
                }
                return out;
            } catch (JsonException | IllegalArgumentException e) {
                throw new PeerFault(Fault.Kind.MALFORMED, "consistency proof " + from + ".." + to + " from " + base
                        + " is malformed: "
                        + e.getMessage());
            }
        });
    }

    /** A hash tile or an entry bundle, under the log prefix. */
    Future<byte[]> tile(TilePath path) {
        return get(layout.log() + "/" + path, MAX_TILE).map(Buffer::getBytes);
    }

    /**
     * Streams the blob (at the layout's blob prefix) into the blob store, which hashes the bytes on the way and refuses a
     * mismatch or more than {@code size} bytes: a {@code tampered-blob} fault. Fails with another {@link PeerFault} when
     * the peer does not serve the blob.
     */
    Future<BlobInfo> blob(Sha256 digest, long size, BlobStore blobs) {
        // a peer may send blob downloads to its object storage (a presigned URL): followed, as the bytes are checked
        // against the digest wherever they come from
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(layout.blobs() + digest)
                .setTimeout(TIMEOUT_MS).setFollowRedirects(true);
        return http.request(options)
                .compose(req -> req.send())
                .recover(e -> Future.failedFuture(new PeerFault(Fault.Kind.UNREACHABLE, "cannot fetch blob " + digest
                        + " from " + base + ": " + describe(e))))
                .compose((HttpClientResponse resp) -> {
                    if (resp.statusCode() != 200) {
                        resp.resume();
                        return Future.failedFuture(new PeerFault(Fault.Kind.HTTP_ERROR, base + " answered "
                                + resp.statusCode() + " for blob " + digest));
                    }
                    resp.pause();
                    return blobs.put(digest, resp, size).recover(e -> Future.failedFuture(
                            e instanceof DigestMismatch || e instanceof TooLarge || e instanceof UploadInterrupted
                                    ? new PeerFault(Fault.Kind.TAMPERED_BLOB, "blob " + digest + " from " + base
                                    + " does not match the signed contract (" + size + " bytes): " + e.getMessage())
                                    : e instanceof NodeFailure ? e
                                    : new PeerFault(Fault.Kind.UNREACHABLE, "reading blob " + digest + " from " + base
                                    + " failed: " + describe(e))));
                });
    }

    /**
     * GETs an absolute URL, reading at most {@code limit} bytes of its body: a {@code malformed} fault as soon as more
     * arrive (or are announced), the connection then closed so that nothing more is read.
     */
    private Future<Buffer> get(String url, int limit) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url)
                .setTimeout(TIMEOUT_MS);
        return http.request(options)
                .compose(req -> req.send())
                .recover(e -> Future.failedFuture(new PeerFault(Fault.Kind.UNREACHABLE, "cannot reach " + url
                        + ": " + describe(e))))
                .compose((HttpClientResponse resp) -> {
                    if (resp.statusCode() != 200) {
                        // whatever the error body holds is not read: the connection is not reused
                        resp.request().reset();
                        return Future.failedFuture(new PeerFault(Fault.Kind.HTTP_ERROR, url + " answered "
                                + resp.statusCode()));
                    }
                    return bounded(url, resp, limit);
                });
    }

    /** The body, counted as it streams; refused (and the connection reset) at the first byte past {@code limit}. */
    static Future<Buffer> bounded(String url, HttpClientResponse resp, int limit) {
        Promise<Buffer> read = Promise.promise();
        PeerFault tooLarge = new PeerFault(Fault.Kind.MALFORMED, url + " is larger than " + limit + " bytes");
        String announced = resp.getHeader("Content-Length");
        if (announced != null) {
            try {
                if (Long.parseLong(announced.trim()) > limit) {
                    resp.request().reset();
                    return Future.failedFuture(tooLarge);
                }
            } catch (NumberFormatException e) {
                // Netty refuses a malformed Content-Length before this
            }
        }
        Buffer body = Buffer.buffer();
        resp.handler(chunk -> {
            if (read.future().isComplete()) {
                return;
            }
            if (body.length() + chunk.length() > limit) {
                read.fail(tooLarge);
                resp.request().reset();
                return;
            }
            body.appendBuffer(chunk);
        });
        resp.exceptionHandler(e -> read.tryFail(new PeerFault(Fault.Kind.UNREACHABLE, "cannot reach " + url + ": "
                + describe(e))));
        resp.endHandler(v -> read.tryComplete(body));
        return read.future();
    }

    /** A connection failure in a few words (Netty's exceptions may have no message). */
    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
