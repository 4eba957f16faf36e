package dev.grove.node.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.impl.RoutingContextInternal;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a small request body into memory for the route behind it (then {@code ctx.body()} holds it), in place of Vert.x's
 * {@code BodyHandler}, which also parses forms and uploads: a write route takes one media type and nothing else.
 *
 * <p>Refused, each with a problem document: a media type the route does not take (415, before a byte is read, so no form
 * is ever parsed), a body over the route's limit (413, from {@code Content-Length} or as the bytes arrive), a body the
 * node's {@link BodyBudget} cannot hold now (503 with {@code Retry-After}), a body that arrives slower than the node's
 * {@link BodyPace} (408, and the connection closed), and a body that is not strict UTF-8 or holds a NUL character, raw
 * or as a JSON {@code \u0000} escape, or a JSON escape of a lone surrogate (400): no text the node stores or compares
 * can then hold one.
 *
 * <p>Configured once ({@link #json}, {@link #text}); the {@code BodyHandler} setters are not supported.
 */
public final class BodyReader implements BodyHandler {

    /** What a route takes. */
    public enum Media {
        /** {@code application/json} (a {@code charset} parameter, if any, must be {@code utf-8}). */
        JSON,
        /** {@code text/plain} in UTF-8, or no {@code Content-Type} at all (clients of the witness protocol send none). */
        TEXT
    }

    private final Media media;
    private final long limit;

    private BodyReader(Media media, long limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("a body limit is positive, not " + limit);
        }
        this.media = media;
        this.limit = limit;
    }

    /** A JSON body of at most {@code limit} bytes. */
    public static BodyReader json(long limit) {
        return new BodyReader(Media.JSON, limit);
    }

    /** A UTF-8 text body of at most {@code limit} bytes. */
    public static BodyReader text(long limit) {
        return new BodyReader(Media.TEXT, limit);
    }

    @Override
    public void handle(RoutingContext ctx) {
        RoutingContextInternal internal = (RoutingContextInternal) ctx;
        if (internal.seenHandler(RoutingContextInternal.BODY_HANDLER)) {
            ctx.next(); // read by an earlier route
            return;
        }
        HttpServerRequest request = ctx.request();
        Optional<String> wrongType = mediaTypeProblem(media, request.getHeader(HttpHeaders.CONTENT_TYPE));
        if (wrongType.isPresent()) {
            ctx.fail(ProblemException.unsupportedMediaType(wrongType.get()));
            return;
        }
        BodyBudget budget = BodyBudget.of(ctx);
        BodyBudget.Reservation held = budget.open(ctx);
        String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        long length = declared == null ? -1 : declaredLength(declared);
        if (length > limit) {
            ctx.fail(tooLarge());
            return;
        }
        if (length > 0 && !held.growTo(length)) {
            ctx.fail(BodyBudget.busy());
            return;
        }
        // sized to the declared length (reserved above): a growing buffer would hold up to twice what it was sent
        Buffer body = length > 0 ? Buffer.buffer((int) length) : Buffer.buffer();
        boolean[] failed = {false};
        BodyPace pace = BodyPace.watch(ctx.vertx(), budget.limits(), body::length, () -> {
            if (!failed[0]) {
                failed[0] = true;
                ctx.fail(BodyPace.stalled(budget.limits()));
            }
        });
        request.handler(chunk -> {
            if (failed[0]) {
                return;
            }
            long total = body.length() + (long) chunk.length();
            if (total > limit || !held.growTo(total)) {
                failed[0] = true;
                pace.stop();
                ctx.fail(total > limit ? tooLarge() : BodyBudget.busy());
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(e -> {
            pace.stop();
            if (!failed[0]) {
                failed[0] = true;
                ctx.fail(framingProblem(e));
            }
        });
        request.endHandler(v -> {
            pace.stop();
            if (failed[0]) {
                return;
            }
            Optional<String> bad = media == Media.JSON ? TextChecks.jsonProblem(body) : TextChecks.textProblem(body);
            if (bad.isPresent()) {
                failed[0] = true;
                ctx.fail(ProblemException.badRequest(bad.get()));
                return;
            }
            internal.visitHandler(RoutingContextInternal.BODY_HANDLER);
            internal.setBody(body);
            ctx.next();
        });
        request.resume();
    }

    /**
     * The body stopped before its end: the HTTP decoder refused its framing (a chunk size that is not hex, a chunk longer
     * than it said) or the connection closed. Either way the client sent it wrong; if the connection is still open the
     * client gets this answer, and the connection is then closed.
     */
    public static ProblemException framingProblem(Throwable cause) {
        String detail = cause.getMessage() == null || cause.getMessage().isBlank() ? cause.getClass().getSimpleName()
                : cause.getMessage();
        return ProblemException.badRequest("the request body is not well-formed HTTP/1.1 (" + detail.toLowerCase(Locale.ROOT)
                + "); check its Content-Length or its chunked encoding").withCause(cause);
    }

    private ProblemException tooLarge() {
        return ProblemException.payloadTooLarge("the request body is larger than the " + limit + " bytes this route "
                + "accepts");
    }

    /** The declared length, or -1 when it is not a number (the decoder already refused such a request). */
    private static long declaredLength(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static Optional<String> mediaTypeProblem(Media media, String contentType) {
        String expected = media == Media.JSON ? "application/json" : "text/plain";
        if (contentType == null) {
            return media == Media.TEXT ? Optional.empty()
                    : Optional.of("send the body as " + expected + " (the request has no Content-Type)");
        }
        String[] parts = contentType.split(";", -1);
        String type = parts[0].trim().toLowerCase(Locale.ROOT);
        if (!type.equals(expected)) {
            return Optional.of("this route takes " + expected + ", not '" + abbreviate(type) + "'");
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim().toLowerCase(Locale.ROOT);
            if (parameter.startsWith("charset=")) {
                String charset = parameter.substring("charset=".length()).replace("\"", "");
                if (!charset.equals("utf-8") && !charset.equals("utf8")) {
                    return Optional.of("this route takes " + expected + " in UTF-8, not in '" + abbreviate(charset)
                            + "'");
                }
            }
        }
        return Optional.empty();
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    @Override
    public BodyHandler setHandleFileUploads(boolean handleFileUploads) {
        throw unsupported();
    }

    @Override
    public BodyHandler setBodyLimit(long bodyLimit) {
        throw unsupported();
    }

    @Override
    public BodyHandler setUploadsDirectory(String uploadsDirectory) {
        throw unsupported();
    }

    @Override
    public BodyHandler setMergeFormAttributes(boolean mergeFormAttributes) {
        throw unsupported();
    }

    @Override
    public BodyHandler setDeleteUploadedFilesOnEnd(boolean deleteUploadedFilesOnEnd) {
        throw unsupported();
    }

    @Override
    public BodyHandler setPreallocateBodyBuffer(boolean isPreallocateBodyBuffer) {
        throw unsupported();
    }

    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("a BodyReader is configured when it is created: BodyReader.json(limit)"
                + " or BodyReader.text(limit)");
    }
}
