package dev.grove.node.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;

/**
 * A document as it goes out (its bytes and media type) with its strong entity tag: {@code "sha256-<base64url of the
 * SHA-256 of the bytes>"}, computed once when the bytes are made, so that serving it again costs no hashing. {@link
 * #send} answers a conditional GET whose {@code If-None-Match} names it with 304 and no body (RFC 9110, section 13.1.2).
 * Every read of a document that changes rarely goes out through it: version documents, the log's checkpoint, namespace,
 * lineage, release and report documents, the node's identity and keys.
 *
 * <p>Immutable and shared between event loops: the body is never written to, and Vert.x writes a slice of it.
 */
public final class Representation {

    /** For documents that can change under their URL (status, yank, release, log proof, checkpoint): revalidate. */
    public static final CharSequence REVALIDATE = HttpHeaders.createOptimized("no-cache");
    /** For bytes that can never change under their URL. */
    public static final CharSequence IMMUTABLE = HttpHeaders.createOptimized("public, max-age=31536000, immutable");
    /** For a node's identity and keys: they change only when its operator changes them. */
    public static final CharSequence IDENTITY = HttpHeaders.createOptimized("public, max-age=300");

    private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
    private static final CharSequence TEXT = HttpHeaders.createOptimized("text/plain; charset=utf-8");

    private final Buffer body;
    private final CharSequence contentType;
    private final CharSequence etag;
    private final String tag;

    private Representation(Buffer body, CharSequence contentType, String tag) {
        this.body = body;
        this.contentType = contentType;
        this.tag = tag;
        this.etag = HttpHeaders.createOptimized(tag);
    }

    /** The bytes of a JSON document and their entity tag. */
    public static Representation of(Buffer body) {
        return of(JSON, body);
    }

    /** The bytes of a document of this media type and their entity tag. */
    public static Representation of(CharSequence contentType, Buffer body) {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        return new Representation(body, contentType, Etags.strong(body.getBytes()));
    }

    /** A JSON document, encoded once. */
    public static Representation json(JsonObject document) {
        return of(JSON, document.toBuffer());
    }

    /** A UTF-8 text document ({@code text/plain; charset=utf-8}): a checkpoint note, a verifier key line. */
    public static Representation text(String text) {
        return of(TEXT, Buffer.buffer(text));
    }

    /** The document's bytes (not to be modified). */
    public Buffer body() {
        return body;
    }

    /** The strong entity tag, quoted as sent in {@code ETag}. */
    public String etag() {
        return tag;
    }

    /**
     * Answers the request with this document and {@code Cache-Control: cacheControl}, or with 304 (the same
     * {@code ETag} and {@code Cache-Control}, no body) when its {@code If-None-Match} names the document.
     */
    public void send(RoutingContext ctx, CharSequence cacheControl) {
        HttpServerResponse response = ctx.response();
        response.putHeader(HttpHeaders.ETAG, etag).putHeader(HttpHeaders.CACHE_CONTROL, cacheControl);
        if (Etags.matches(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH), tag)) {
            response.setStatusCode(304).end();
            return;
        }
        response.putHeader(HttpHeaders.CONTENT_TYPE, contentType).end(body);
    }
}
