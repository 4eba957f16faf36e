package dev.grove.node.http;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;

/**
 * Requests the HTTP decoder refused before any route saw them (a request line or headers over the server's limits,
 * malformed HTTP): answered, like every other error, with a problem document, then the connection is closed because
 * the rest of what the client sent cannot be trusted to frame the next request. Vert.x's default answers with an empty
 * body.
 */
public final class InvalidRequestHandler implements Handler<HttpServerRequest> {
    private final int maxLineBytes;
    private final int maxHeaderBytes;

    private InvalidRequestHandler(int maxLineBytes, int maxHeaderBytes) {
        this.maxLineBytes = maxLineBytes;
        this.maxHeaderBytes = maxHeaderBytes;
    }

    public static InvalidRequestHandler of(HttpServerOptions options) {
        return new InvalidRequestHandler(options.getMaxInitialLineLength(), options.getMaxHeaderSize());
    }

    @Override
    public void handle(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        Problem problem;
        if (cause instanceof TooLongHttpLineException) {
            problem = Problem.of(414, "the request line is longer than " + maxLineBytes + " bytes; shorten the "
                    + "path or the query");
        } else if (cause instanceof TooLongHttpHeaderException) {
            problem = Problem.of(431, "the request headers are larger than " + maxHeaderBytes + " bytes; send "
                    + "fewer or shorter headers");
        } else {
            problem = Problem.of(400, "the request is not well-formed HTTP/1.1"
                    + (cause == null || cause.getMessage() == null ? "" : ": " + cause.getMessage()));
        }
        answerAndClose(request, problem);
    }

    /**
     * Answers with {@code problem} and closes the connection once the answer is written: what follows a refused request
     * on the connection cannot be trusted to frame the next one.
     */
    static void answerAndClose(HttpServerRequest request, Problem problem) {
        byte[] body = request.method() == HttpMethod.HEAD ? new byte[0]
                : problem.toJson().encode().getBytes(StandardCharsets.UTF_8);
        request.response()
                .setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE)
                .end(Buffer.buffer(body))
                .onComplete(done -> request.connection().close());
    }
}
