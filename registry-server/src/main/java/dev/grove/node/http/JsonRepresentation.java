package dev.grove.node.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;

/**
 * A JSON document as it goes out, with its strong entity tag: {@code "sha256-<base64url of the SHA-256 of the bytes>"},
 * computed once when the bytes are made, so that serving it again costs no hashing. {@link #send} answers a
 * conditional GET whose {@code If-None-Match} names it with 304 and no body (RFC 9110, section 13.1.2).
 *
 * <p>Immutable and shared between event loops: the body is never written to, and Vert.x writes a slice of it.
 */
public final class JsonRepresentation {

    /** For documents with parts that change (status, yank, release, log proof): a cache must revalidate. */
    public static final CharSequence REVALIDATE = HttpHeaders.createOptimized("no-cache");
    /** For bytes that can never change under their URL. */
    public static final CharSequence IMMUTABLE = HttpHeaders.createOptimized("public, max-age=31536000, immutable");

    private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");

    private final Buffer body;
    private final CharSequence etag;
    private final String tag;

    private JsonRepresentation(Buffer body, String tag) {
        this.body = body;
        this.tag = tag;
        this.etag = HttpHeaders.createOptimized(tag);
    }

    /** The bytes of a JSON document and their entity tag. */
    public static JsonRepresentation of(Buffer body) {
        Objects.requireNonNull(body, "body");
        return new JsonRepresentation(body, Etags.strong(body.getBytes()));
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
        response.putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(body);
    }
}
