package dev.grove.node.http;

import dev.grove.node.db.DatabaseOutage;
import dev.grove.node.problem.AmbiguousName;
import dev.grove.node.problem.Conflict;
import dev.grove.node.problem.DigestMismatch;
import dev.grove.node.problem.ForbiddenSigner;
import dev.grove.node.problem.ImmutableVersion;
import dev.grove.node.problem.IncompatibleRelease;
import dev.grove.node.problem.InvalidDocument;
import dev.grove.node.problem.AdapterMismatch;
import dev.grove.node.problem.LineageNotReproduced;
import dev.grove.node.problem.MissingArtifact;
import dev.grove.node.problem.NodeFailure;
import dev.grove.node.problem.NotFound;
import dev.grove.node.problem.ReportRefused;
import dev.grove.node.problem.SignatureRejected;
import dev.grove.node.problem.StorageUnavailable;
import dev.grove.node.problem.TooLarge;
import dev.grove.node.problem.UploadInterrupted;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns failures into responses: every route's failure and the router's own errors (no route, wrong
 * method, body too large, undecodable body) become {@code application/problem+json} (RFC 9457).
 *
 * <ul>
 *   <li>a {@link NodeFailure} (a feature's refusal): the status of its concern (see {@link #statusOf}), its message as
 *       the detail, and the members its concern adds ({@code expected}/{@code actual} for a digest mismatch,
 *       {@code maxBytes}, {@code origins}, {@code field} and {@code reason} for a refused report); the only place where a
 *       domain failure meets HTTP;</li>
 *   <li>a {@link ProblemException} (an HTTP-level refusal by a route or the request edge): its problem and headers, as
 *       they are;</li>
 *   <li>Vert.x web's own 4xx (an {@link HttpException} or a bare status code) and a {@link DecodeException}: a problem with
 *       a plain detail;</li>
 *   <li>a failure that says the database cannot be reached: 503 with {@code Retry-After}, logged once per outage by
 *       {@link DatabaseOutage}, not per request;</li>
 *   <li>anything else: 500 with a random error id in the body and in an ERROR log line (with the stack trace) so an
 *       operator can find it; nothing about the internals reaches the client.</li>
 * </ul>
 * A response whose head was already sent (a failure in the middle of a download) cannot change its status: the connection
 * is closed so the client sees a truncated body rather than a complete wrong one. A refused request whose body is still
 * arriving is answered first and its body then read and dropped (up to a bound), so that the client sees the answer.
 */
public final class ProblemFailureHandler implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemFailureHandler.class);
    private static final long MAX_DRAIN_BYTES = 8L << 20;
    private static final long MAX_DRAIN_MS = 10_000;

    private final DatabaseOutage outage;

    /** Failures are not tracked as database outages (they are still answered 503). */
    public static ProblemFailureHandler create() {
        return create(DatabaseOutage.unwatched());
    }

    /** A failure that says the database is unreachable is answered 503 and reported to {@code outage}. */
    public static ProblemFailureHandler create(DatabaseOutage outage) {
        return new ProblemFailureHandler(outage);
    }

    private ProblemFailureHandler(DatabaseOutage outage) {
        this.outage = outage;
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        Throwable failure = ctx.failure();
        if (response.ended() || response.closed()) {
            if (failure != null && !(failure instanceof ProblemException) && !(failure instanceof NodeFailure)) {
                LOG.debug("failure after the response ended on {} {}", ctx.request().method(), ctx.normalizedPath(), failure);
            }
            return;
        }
        if (response.headWritten()) {
            LOG.warn("failure while sending {} {}; closing the connection: {}", ctx.request().method(), ctx.normalizedPath(),
                    failure == null ? ctx.statusCode() : failure.toString());
            ctx.request().connection().close();
            return;
        }
        ProblemException problem = toProblem(ctx, failure);
        send(ctx, problem);
    }

    private ProblemException toProblem(RoutingContext ctx, Throwable failure) {
        if (failure instanceof ProblemException p) {
            return p;
        }
        if (failure instanceof NodeFailure f) {
            return problemOf(f);
        }
        if (failure instanceof DecodeException) {
            return ProblemException.badRequest("the request body is not valid JSON");
        }
        int status = failure instanceof HttpException h ? h.getStatusCode() : failure == null ? ctx.statusCode() : 500;
        if (status >= 400 && status < 500) {
            return ProblemException.of(status, clientErrorDetail(ctx, status));
        }
        if (failure != null && outage.report(failure)) {
            // an outage, not a bug: no error id, no stack trace; the outage itself is logged once
            return ProblemException.of(503, "the node's database is unavailable; retry in a few seconds")
                    .withHeader("Retry-After", String.valueOf(DatabaseOutage.RETRY_AFTER_SECONDS));
        }
        byte[] id = new byte[6];
        ThreadLocalRandom.current().nextBytes(id);
        String errorId = HexFormat.of().formatHex(id);
        LOG.error("internal error {} on {} {}", errorId, ctx.request().method(), ctx.normalizedPath(), failure);
        return ProblemException.of(500, "the node failed to handle this request; the operator can find it by its error id "
                + errorId).with("errorId", errorId);
    }

    /** The problem a domain failure is answered with: its concern's status, its message, its cause (logged, not sent). */
    static ProblemException problemOf(NodeFailure failure) {
        if (failure instanceof UploadInterrupted) {
            // the body's own failure: a stall is already its 408; anything else is the client's broken body
            return failure.getCause() instanceof ProblemException p ? p : BodyReader.framingProblem(failure.getCause());
        }
        ProblemException problem = ProblemException.of(statusOf(failure), failure.getMessage()).withCause(failure);
        if (failure instanceof StorageUnavailable) {
            return problem.withHeader("Retry-After", String.valueOf(DatabaseOutage.RETRY_AFTER_SECONDS));
        }
        if (failure instanceof DigestMismatch d) {
            return problem.with("expected", d.expected().toString()).with("actual", d.actual().toString());
        }
        if (failure instanceof TooLarge t && t.limit().isPresent()) {
            return problem.with("maxBytes", t.limit().getAsLong());
        }
        if (failure instanceof AmbiguousName a) {
            return problem.with("origins", a.origins());
        }
        if (failure instanceof ReportRefused r) {
            return r.field().map(field -> problem.with("field", field)).orElse(problem)
                    .with("reason", r.reason().label());
        }
        return problem;
    }

    /** The HTTP status of each concern: the one table from domain failures to statuses. */
    static int statusOf(NodeFailure failure) {
        if (failure instanceof ReportRefused r) {
            return switch (r.reason()) {
                case MALFORMED, MALFORMED_TOKEN -> 400;
                case UNKNOWN_KEY, UNSIGNED_TOKEN -> 403;
                case UNKNOWN_PACKAGE -> 404;
                case SPENT -> 409;
            };
        }
        if (failure instanceof InvalidDocument || failure instanceof SignatureRejected
                || failure instanceof DigestMismatch || failure instanceof UploadInterrupted) {
            return 400;
        }
        if (failure instanceof ForbiddenSigner) {
            return 403;
        }
        if (failure instanceof NotFound) {
            return 404;
        }
        if (failure instanceof Conflict || failure instanceof ImmutableVersion || failure instanceof AmbiguousName) {
            return 409;
        }
        if (failure instanceof TooLarge) {
            return 413;
        }
        if (failure instanceof MissingArtifact || failure instanceof IncompatibleRelease
                || failure instanceof LineageNotReproduced || failure instanceof AdapterMismatch) {
            return 422;
        }
        if (failure instanceof StorageUnavailable) {
            return 503;
        }
        throw new IllegalStateException("no status for " + failure.getClass().getName());
    }

    private static String clientErrorDetail(RoutingContext ctx, int status) {
        String method = ctx.request().method().name();
        String path = ctx.normalizedPath();
        return switch (status) {
            case 400 -> "the request is malformed";
            case 404 -> "there is nothing at " + path;
            case 405 -> method + " is not allowed on " + path;
            case 413 -> "the request body is larger than " + path + " accepts";
            case 415 -> "the request body's media type is not accepted by " + path;
            default -> Problem.reasonPhrase(status);
        };
    }

    private static void send(RoutingContext ctx, ProblemException e) {
        HttpServerResponse response = ctx.response();
        Problem problem = e.problem();
        response.setStatusCode(problem.status());
        response.headers().remove(HttpHeaders.CONTENT_LENGTH).remove(HttpHeaders.ETAG)
                .remove(HttpHeaders.CACHE_CONTROL).remove(HttpHeaders.CONTENT_RANGE).remove(HttpHeaders.ACCEPT_RANGES);
        e.headers().forEach(response::putHeader);
        response.putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        response.putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        Buffer body = ctx.request().method() == HttpMethod.HEAD ? Buffer.buffer() : problem.toJson().toBuffer();
        response.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(body.length()));
        if (problem.status() == 408) {
            // a stalled body: answer and close at once, without waiting for (or reading) the rest
            response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
            response.end(body).onComplete(done -> ctx.request().connection().close());
        } else if (ctx.request().isEnded()) {
            response.end(body);
        } else if (ctx.request().version() == HttpVersion.HTTP_2) {
            // a refused upload still streaming in: answer, then reset just this stream
            response.end(body).onComplete(done -> response.reset(0)); // NO_ERROR
        } else {
            answerAndDrain(ctx, body);
        }
    }

    /**
     * Answers a request whose body is still arriving (a refused upload) and reads the rest of that body, so that the client
     * gets the answer: closing a socket with unread input makes TCP reset the connection, and the reset can destroy the
     * answer before the client reads it. Beyond {@value #MAX_DRAIN_BYTES} bytes or {@value #MAX_DRAIN_MS} ms the
     * connection is closed.
     */
    private static void answerAndDrain(RoutingContext ctx, Buffer body) {
        HttpServerRequest request = ctx.request();
        long[] drained = {0};
        long timer = ctx.vertx().setTimer(MAX_DRAIN_MS, id -> request.connection().close());
        request.exceptionHandler(e -> ctx.vertx().cancelTimer(timer));
        request.endHandler(v -> ctx.vertx().cancelTimer(timer));
        request.handler(chunk -> {
            drained[0] += chunk.length();
            if (drained[0] > MAX_DRAIN_BYTES) {
                ctx.vertx().cancelTimer(timer);
                request.connection().close();
            }
        });
        if (request.headers().contains(HttpHeaders.EXPECT, HttpHeaders.CONTINUE, true)) {
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close"); // the client was told nothing: let it not send
        }
        ctx.response().end(body);
        request.resume();
    }
}
