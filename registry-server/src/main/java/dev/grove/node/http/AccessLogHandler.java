package dev.grove.node.http;

import static net.logstash.logback.argument.StructuredArguments.v;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one line per request when its response ends: method, route, path, status, duration and bytes sent.
 *
 * <p>Privacy by construction: it never logs the client's address, any header (so no {@code Authorization}, cookie or user
 * agent), the query string (search text is what a visitor typed) or a body. The {@code route} field is the template of the
 * route that answered, e.g. {@code /v1/blobs/:digest}; for a failed request it is rebuilt from the path parameters.
 */
public final class AccessLogHandler implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger("grove.access");

    public static AccessLogHandler create() {
        return new AccessLogHandler();
    }

    private AccessLogHandler() {
    }

    @Override
    public void handle(RoutingContext ctx) {
        long started = System.nanoTime();
        String[] matched = new String[1];
        ctx.addHeadersEndHandler(v -> {
            Route route = ctx.currentRoute();
            if (!ctx.failed() && route != null && route.getPath() != null) {
                matched[0] = route.getPath(); // the route that answered; on failure the failure route is current
            }
        });
        ctx.addEndHandler(done -> {
            if (!LOG.isInfoEnabled()) {
                return;
            }
            HttpServerRequest request = ctx.request();
            String path = ctx.normalizedPath();
            double millis = (System.nanoTime() - started) / 1_000_000.0;
            LOG.info("{} {} {} {} ms {} B{}", v("method", request.method().name()), v("path", path),
                    v("status", ctx.response().getStatusCode()), v("durationMs", Math.round(millis * 10) / 10.0),
                    v("bytes", ctx.response().bytesWritten()), done.succeeded() ? "" : " (connection closed)",
                    v("route", matched[0] != null ? matched[0] : route(path, ctx.pathParams())));
        });
        ctx.next();
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
