package dev.grove.node.http;

import static net.logstash.logback.argument.StructuredArguments.v;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one line per request when its response ends: method, route, path, status, duration and bytes sent.
 *
 * <p>Privacy by construction: it never logs the client's address, any header (so no {@code Authorization}, cookie or user
 * agent), the query string (search text is what a visitor typed) or a body. The {@code route} field is the template of the
 * route that answered, e.g. {@code /v1/blobs/:digest}; for a failed request it is rebuilt from the path parameters.
 *
 * <p>Cheap per request: a request only records its fields; the lines of an event loop go to the logger together, at
 * most {@link #BATCH_MILLIS} ms after the first of them ended or once {@link #BATCH_LINES} are waiting, so the access
 * log's queue (logback.xml) wakes its writer once per batch, not once per request. A line's timestamp is when its batch
 * was logged; its {@code durationMs} is the request's own. Not thread-safe: one handler per router, that is per event
 * loop; {@link #flush} when the router stops serving.
 */
public final class AccessLogHandler implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger("grove.access");
    static final long BATCH_MILLIS = 20;
    static final int BATCH_LINES = 512;

    private record Line(String method, String path, int status, double millis, long bytes, boolean closed,
                        String route) {
    }

    private final List<Line> pending = new ArrayList<>();
    private long timer = -1;
    private Vertx vertx;

    public static AccessLogHandler create() {
        return new AccessLogHandler();
    }

    private AccessLogHandler() {
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (!LOG.isInfoEnabled()) {
            ctx.next();
            return;
        }
        long started = System.nanoTime();
        String[] matched = new String[1];
        ctx.addHeadersEndHandler(v -> {
            Route route = ctx.currentRoute();
            if (!ctx.failed() && route != null && route.getPath() != null) {
                matched[0] = route.getPath(); // the route that answered; on failure the failure route is current
            }
        });
        ctx.addEndHandler(done -> {
            HttpServerRequest request = ctx.request();
            String path = ctx.normalizedPath();
            pending(ctx.vertx(), new Line(request.method().name(), path, ctx.response().getStatusCode(),
                    (System.nanoTime() - started) / 1_000_000.0, ctx.response().bytesWritten(), done.failed(),
                    matched[0] != null ? matched[0] : route(path, ctx.pathParams())));
        });
        ctx.next();
    }

    private void pending(Vertx vertx, Line line) {
        this.vertx = vertx;
        pending.add(line);
        if (pending.size() >= BATCH_LINES) {
            flush();
        } else if (timer < 0) {
            timer = vertx.setTimer(BATCH_MILLIS, id -> {
                timer = -1;
                flush();
            });
        }
    }

    /** Logs the lines waiting, now (on the handler's event loop, or after it stopped serving). */
    public void flush() {
        if (timer >= 0 && vertx != null) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        for (Line line : pending) {
            LOG.info("{} {} {} {} ms {} B{}", v("method", line.method()), v("path", line.path()),
                    v("status", line.status()), v("durationMs", Math.round(line.millis() * 10) / 10.0),
                    v("bytes", line.bytes()), line.closed() ? " (connection closed)" : "", v("route", line.route()));
        }
        pending.clear();
    }

    /**
     * The path with each segment equal to a path parameter's value replaced by {@code :name} (ambiguous only when two
     * parameters have the same value).
     */
    static String route(String path, Map<String, String> params) {
        if (params.isEmpty()) {
            return path;
        }
        String[] segments = path.split("/", -1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                out.append('/');
            }
            String segment = segments[i];
            String replaced = segment;
            for (Map.Entry<String, String> p : params.entrySet()) {
                if (!segment.isEmpty() && segment.equals(p.getValue())) {
                    replaced = ":" + p.getKey();
                    break;
                }
            }
            out.append(replaced);
        }
        return out.toString();
    }
}
