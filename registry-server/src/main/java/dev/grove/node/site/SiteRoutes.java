package dev.grove.node.site;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The static site at {@code /}. By default the one built into the node: the {@code site/} folder (on the classpath as
 * {@code grove-site/}) and the browser runtime (the browser-runtime jar's {@code grove-runtime/}, served at
 * {@code /grove-runtime/}). A directory given with {@code --site} replaces both, so it must hold its own
 * {@code grove-runtime/} ({@code grove site --out DIR} writes such a folder).
 *
 * <p>Every site response carries a Content-Security-Policy that lets the pages load scripts, styles and data only from
 * this node: nothing a visitor types can be sent elsewhere, and no third party sees the visit.
 */
public final class SiteRoutes {

    /**
     * {@code 'wasm-unsafe-eval'} compiles the runtime's WebAssembly; {@code 'unsafe-eval'} is what TeaVM's Wasm-GC
     * runtime needs for its JavaScript interop ({@code new Function} for each {@code @JSBody}); without it the page
     * falls back to the slower JavaScript build. Scripts still come only from this origin.
     */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; "
            + "script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    /** Where the node's jar keeps the site and the runtime. */
    static final String BUNDLED_SITE = "grove-site";
    static final String BUNDLED_RUNTIME = "grove-runtime";
    /** The site changes between deployments: short-lived, revalidated with Last-Modified. */
    private static final long MAX_AGE_SECONDS = 300;

    private SiteRoutes() {
    }

    /**
     * Mounts the site for GET and HEAD on the paths matching {@code paths}; a file that is not there falls through to
     * the router's 404.
     */
    public static void mount(Router router, Optional<Path> siteDir, String paths) {
        Handler<RoutingContext> headers = SiteRoutes::securityHeaders;
        if (siteDir.isPresent()) {
            router.route().pathRegex(paths).method(HttpMethod.GET).method(HttpMethod.HEAD)
                    .handler(headers).handler(files(FileSystemAccess.ROOT,
                            siteDir.get().toAbsolutePath().normalize().toString()));
            return;
        }
        router.route("/" + BUNDLED_RUNTIME + "/*").method(HttpMethod.GET).method(HttpMethod.HEAD)
                .handler(headers).handler(files(FileSystemAccess.RELATIVE, BUNDLED_RUNTIME));
        router.route().pathRegex(paths).method(HttpMethod.GET).method(HttpMethod.HEAD)
                .handler(headers).handler(files(FileSystemAccess.RELATIVE, BUNDLED_SITE));
    }

    private static void securityHeaders(RoutingContext ctx) {
        ctx.response()
                .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer");
        ctx.next();
    }

    private static StaticHandler files(FileSystemAccess access, String root) {
        return StaticHandler.create(access, root)
                .setCachingEnabled(true)
                .setMaxAgeSeconds(MAX_AGE_SECONDS)
                .setIndexPage("index.html")
                .setIncludeHidden(false)
                .setDirectoryListing(false);
    }
}
