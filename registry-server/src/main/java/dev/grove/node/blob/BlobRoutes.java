package dev.grove.node.blob;

import dev.grove.crypto.Sha256;
import dev.grove.node.http.BodyBudget;
import dev.grove.node.http.BodyPace;
import dev.grove.node.http.HttpLimits;
import dev.grove.node.http.ProblemException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Arrays;
import java.util.Optional;

/**
 * {@code PUT}, {@code GET} and {@code HEAD /v1/blobs/:digest}: content-addressed artifact bytes.
 *
 * <ul>
 *   <li>{@code PUT} streams the body into the store (no BodyHandler: the bytes never sit in memory) and answers 201 with
 *       {@code Location}, or 200 when the blob was already stored (the body is still read and checked). 400 when the bytes
 *       do not match the digest, 413 above the node's limit.</li>
 *   <li>{@code GET}/{@code HEAD} stream the bytes from the store with a strong {@code ETag} (the digest), an immutable cache
 *       policy, {@code If-None-Match} (304) and one byte range (206; 416 when it selects nothing). Several ranges are
 *       answered with the whole blob, as RFC 9110 allows. A store that offers direct downloads
 *       ({@link BlobStore#downloadUrl}, an S3 bucket with presigned redirects) has {@code GET} answered 307 to a
 *       short-lived URL of the bytes instead, except for browsers; {@code HEAD} and 304s are still answered here.</li>
 * </ul>
 *
 * <p>The node mounts these itself, before its features ({@code RegistryVerticle}): the blob store is what the features
 * are built on, so its routes are not one of them (and this package depends on no feature type).
 */
public final class BlobRoutes {

    static final String CACHE_FOREVER = "public, max-age=31536000, immutable";
    private static final String OCTETS = "application/octet-stream";
    private static final String SEC_FETCH_MODE = "Sec-Fetch-Mode";

    private final BlobStore store;
    private final long maxBlobBytes;

    public BlobRoutes(BlobStore store, long maxBlobBytes) {
        this.store = store;
        this.maxBlobBytes = maxBlobBytes;
    }

    /** Adds the routes; {@code json} is unused (blob bodies are streamed, never buffered), kept for the common shape. */
    public void mount(Router router, BodyHandler json) {
        router.put("/v1/blobs/:digest").handler(this::put);
        router.get("/v1/blobs/:digest").handler(this::get);
        router.head("/v1/blobs/:digest").handler(this::get);
    }

    private void put(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        request.pause();
        Sha256 digest = digest(ctx);
        Optional<Long> declared = contentLength(request);
        if (declared.isPresent() && declared.get() > maxBlobBytes) {
            throw ProblemException.payloadTooLarge("the blob is " + declared.get() + " bytes, more than the " + maxBlobBytes
                    + " bytes this node accepts").with("maxBytes", maxBlobBytes);
        }
        if (request.headers().contains(HttpHeaders.EXPECT, HttpHeaders.CONTINUE, true)) {
            ctx.response().writeContinue(); // the checks that need no body passed: send it
        }
        // a stalled upload fails the store's read (its temporary file is closed and deleted, as on every other abort),
        // which answers 408 and closes the connection
        CountingStream body = new CountingStream(request);
        HttpLimits limits = BodyBudget.of(ctx).limits();
        BodyPace pace = BodyPace.watch(ctx.vertx(), limits, body::count, () -> body.abort(BodyPace.stalled(limits)));
        store.stat(digest)
                .compose(before -> store.put(digest, body, maxBlobBytes).map(info -> {
                    HttpServerResponse response = ctx.response();
                    if (before.isEmpty()) {
                        response.setStatusCode(201).putHeader(HttpHeaders.LOCATION, "/v1/blobs/" + digest);
                    }
                    response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
                    return new JsonObject().put("digest", info.digest().toString()).put("size", info.size());
                }))
                .onComplete(done -> pace.stop())
                .onSuccess(doc -> ctx.response().end(doc.toBuffer()))
                .onFailure(ctx::fail);
    }

    private void get(RoutingContext ctx) {
        Sha256 digest = digest(ctx);
        store.stat(digest).onSuccess(info -> {
            if (info.isEmpty()) {
                ctx.fail(ProblemException.notFound("no blob " + digest + " on this node"));
                return;
            }
            serve(ctx, info.get());
        }).onFailure(ctx::fail);
    }

    private void serve(RoutingContext ctx, BlobInfo blob) {
        HttpServerRequest request = ctx.request();
        HttpServerResponse response = ctx.response();
        String etag = "\"" + blob.digest() + "\"";
        response.putHeader(HttpHeaders.ETAG, etag)
                .putHeader(HttpHeaders.CACHE_CONTROL, CACHE_FOREVER)
                .putHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
        if (matchesAny(request.getHeader(HttpHeaders.IF_NONE_MATCH), etag)) {
            response.setStatusCode(304).end();
            return;
        }
        // Browsers (every fetch of theirs says Sec-Fetch-Mode) get the bytes here: the site's Content-Security-Policy
        // lets pages connect to this node only, and it holds for redirects too
        if (request.method() == HttpMethod.GET && !request.headers().contains(SEC_FETCH_MODE)) {
            store.downloadUrl(blob.digest()).onSuccess(url -> {
                if (url.isPresent()) {
                    // the client fetches the bytes (and any range of them) from the storage itself; the URL expires,
                    // so the redirect is not cached, whereas what it leads to is immutable and checked by its digest
                    response.setStatusCode(307).putHeader(HttpHeaders.LOCATION, url.get().toString())
                            .putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end();
                } else {
                    send(ctx, blob, etag);
                }
            }).onFailure(ctx::fail);
            return;
        }
        send(ctx, blob, etag);
    }

    private void send(RoutingContext ctx, BlobInfo blob, String etag) {
        HttpServerRequest request = ctx.request();
        HttpServerResponse response = ctx.response();
        String ifRange = request.getHeader("If-Range");
        Optional<String> range = ifRange == null || ifRange.strip().equals(etag)
                ? Optional.ofNullable(request.getHeader("Range")) : Optional.empty();
        ByteRange.Request wanted = ByteRange.parse(range, blob.size());
        if (wanted instanceof ByteRange.Unsatisfiable) {
            ctx.fail(ProblemException.of(416, "the range '" + range.orElse("") + "' selects nothing of this "
                            + blob.size() + "-byte blob")
                    .withHeader(HttpHeaders.CONTENT_RANGE.toString(), "bytes */" + blob.size()));
            return;
        }
        ByteRange bytes = ByteRange.all(blob.size());
        if (wanted instanceof ByteRange.Partial partial) {
            bytes = partial.range();
            response.setStatusCode(206).putHeader(HttpHeaders.CONTENT_RANGE, bytes.contentRange(blob.size()));
        }
        response.putHeader(HttpHeaders.CONTENT_TYPE, OCTETS)
                .putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(bytes.length()));
        if (request.method() == HttpMethod.HEAD) {
            response.end();
            return;
        }
        // a failure part-way reaches the failure handler with the head sent, which cuts the connection
        ByteRange sent = bytes;
        store.localFile(blob.digest())
                .map(file -> response.sendFile(file.toString(), sent.first(), sent.length()))
                .orElseGet(() -> store.writeTo(blob.digest(), sent, response))
                .onFailure(ctx::fail);
    }

    /** {@code If-None-Match}: {@code *} or a list of entity tags, weak or strong, compared weakly (RFC 9110 13.1.2). */
    static boolean matchesAny(String header, String etag) {
        if (header == null) {
            return false;
        }
        return Arrays.stream(header.split(","))
                .map(String::strip)
                .map(tag -> tag.startsWith("W/") ? tag.substring(2) : tag)
                .anyMatch(tag -> tag.equals("*") || tag.equals(etag));
    }

    private static Sha256 digest(RoutingContext ctx) {
        String text = ctx.pathParam("digest");
        try {
            return Sha256.parse(text);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("a blob is named by its digest, sha256: and 64 lowercase hex digits; "
                    + e.getMessage());
        }
    }

    private static Optional<Long> contentLength(HttpServerRequest request) {
        String value = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("Content-Length is not a number: '" + value + "'");
        }
    }
}
