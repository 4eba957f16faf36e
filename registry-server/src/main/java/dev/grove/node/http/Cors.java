package dev.grove.node.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * Cross-origin access: pages on any origin may read the API (the registry's data is public, and no credentials are
 * involved) and may send anonymous reports (a site on any static host does), but may write nothing else.
 *
 * <ul>
 *   <li>{@code GET} and {@code HEAD} under {@code /v1/}, {@code /log/} and {@code /.well-known/grove/}: answered with
 *       {@code Access-Control-Allow-Origin: *}, whatever the {@code Origin} says (a value that is not an origin is no
 *       reason to refuse a public read); pre-flights for them are granted with {@code Range}, {@code If-None-Match} and
 *       {@code If-Range}.</li>
 *   <li>Under {@code /v1/reports}: also {@code POST} with {@code Content-Type}.</li>
 *   <li>Any other method, on any path (publish, yank, keyset change, blob upload, witness checkpoints): its pre-flight is refused
 *       (403, no {@code Access-Control-*} header), and the request itself, if it comes with an {@code Origin} other than
 *       the node's own, is refused with 403 before its body is read, so that not even a "simple" cross-origin request
 *       (which a browser sends without asking) is processed. Tools such as {@code grove} send no {@code Origin}.</li>
 * </ul>
 */
public final class Cors implements Handler<RoutingContext> {

    private static final String REPORTS = "/v1/reports";
    private static final Set<HttpMethod> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD);
    private static final Set<HttpMethod> REPORT_METHODS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST);
    private static final Set<String> READ_HEADERS = Set.of("range", "if-none-match", "if-range");
    private static final Set<String> REPORT_HEADERS = Set.of("content-type");
    private static final String EXPOSED = "ETag, Content-Range, Content-Length, Accept-Ranges, Location";
    private static final String MAX_AGE = "86400";

    private final String ownOrigin;

    private Cors(String publicUrl) {
        this.ownOrigin = origin(publicUrl);
    }

    /** @param publicUrl the URL clients reach the node at: requests from its own pages carry its origin */
    public static Cors forNode(String publicUrl) {
        return new Cors(publicUrl);
    }

    @Override
    public void handle(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        boolean open = path.startsWith("/v1/") || path.startsWith("/log/") || path.startsWith("/.well-known/grove/");
        HttpServerRequest request = ctx.request();
        if (open) {
            ctx.response().headers().add(HttpHeaders.VARY, HttpHeaders.ORIGIN);
        }
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin == null) {
            ctx.next();
            return;
        }
        boolean reports = path.equals(REPORTS) || path.startsWith(REPORTS + "/");
        String preflightMethod = request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD);
        if (request.method() == HttpMethod.OPTIONS && preflightMethod != null) {
            preflight(ctx, path, open, reports, preflightMethod,
                    request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS));
            return;
        }
        if (READS.contains(request.method()) || request.method() == HttpMethod.OPTIONS) {
            if (open) {
                allowAnyOrigin(ctx);
            }
            ctx.next(); // the site's own paths are read by its own pages: no CORS header
            return;
        }
        if (reports && request.method() == HttpMethod.POST) {
            allowAnyOrigin(ctx);
            ctx.next();
            return;
        }
        if (isOwn(origin, request)) {
            ctx.next(); // the node's own pages: same-origin, no CORS header needed
            return;
        }
        ctx.fail(ProblemException.forbidden("this node takes no " + request.method().name() + " on " + path
                + " from a page on another origin; only reads and reports (under /v1/reports) are open to other "
                + "origins: publish, yank and change keysets with the grove command"));
    }

    private static void allowAnyOrigin(RoutingContext ctx) {
        ctx.response().headers()
                .set(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "*")
                .set(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED);
    }

    private static void preflight(RoutingContext ctx, String path, boolean open, boolean reports, String method,
                                  String headerList) {
        Set<HttpMethod> methods = !open ? Set.of() : reports ? REPORT_METHODS : READS;
        Set<String> allowedHeaders = reports ? REPORT_HEADERS : READ_HEADERS;
        boolean methodAllowed = methods.stream().anyMatch(m -> m.name().equals(method.trim()));
        String refusedHeader = headerList == null ? null : Arrays.stream(headerList.split(","))
                .map(h -> h.trim().toLowerCase(Locale.ROOT))
                .filter(h -> !h.isEmpty() && !allowedHeaders.contains(h))
                .findFirst().orElse(null);
        if (!methodAllowed || refusedHeader != null) {
            ctx.fail(ProblemException.forbidden("cross-origin " + (methodAllowed ? "requests with the header '"
                    + refusedHeader + "'" : abbreviate(method)) + " on " + path + " are not allowed: pages on other "
                    + "origins may read (GET, HEAD" + (reports ? ", and POST reports" : "") + ") and send nothing else"));
            return;
        }
        ctx.response().headers()
                .set(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "*")
                .set(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, String.join(",", methods.stream().map(HttpMethod::name)
                        .sorted().toList()))
                .set(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, String.join(",", allowedHeaders.stream().sorted().toList()))
                .set(HttpHeaders.ACCESS_CONTROL_MAX_AGE, MAX_AGE)
                .set(HttpHeaders.CONTENT_LENGTH, "0");
        ctx.response().setStatusCode(204).end();
    }

    /** Whether {@code origin} is the node's own: its public URL's, or the one the request was addressed to. */
    private boolean isOwn(String origin, HttpServerRequest request) {
        if (origin.equals(ownOrigin)) {
            return true;
        }
        String host = request.getHeader(HttpHeaders.HOST);
        return host != null && (origin.equals("http://" + host) || origin.equals("https://" + host));
    }

    /** {@code scheme://host[:port]} of a URL, lowercased, as browsers send it; empty when it has none. */
    static String origin(String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return "";
            }
            return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost().toLowerCase(Locale.ROOT)
                    + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static String abbreviate(String s) {
        String t = s.trim();
        return t.length() <= 20 ? t : t.substring(0, 17) + "...";
    }
}
