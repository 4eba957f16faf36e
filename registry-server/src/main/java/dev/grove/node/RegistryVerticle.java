package dev.grove.node;

import dev.grove.node.blob.BlobRoutes;
import dev.grove.node.blob.BlobStore;
import dev.grove.node.db.Migrations;
import dev.grove.node.health.HealthRoutes;
import dev.grove.node.health.NodeMetrics;
import dev.grove.node.http.AccessLogHandler;
import dev.grove.node.http.ProblemFailureHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The registry's HTTP API on one event loop. {@link Node} deploys one instance per core; they share the pool, the blob
 * store and the port.
 */
public final class RegistryVerticle extends VerticleBase {

    /** Browsers may read {@code /v1/*} from any origin (no credentials): the registry's data is public. */
    private static final Set<String> CORS_EXPOSED = Set.of("ETag", "Content-Range", "Content-Length", "Accept-Ranges",
            "Location");
    /** The static site changes between deployments: short-lived, revalidated with Last-Modified. */
    private static final long SITE_MAX_AGE_SECONDS = 300;
    private static final int[] ROUTER_ERRORS = {400, 404, 405, 406, 413, 415, 500};

    private final NodeConfig config;
    private final Pool pool;
    private final BlobStore blobs;
    private final List<RouteModule> modules;
    private HttpServer server;

    public RegistryVerticle(NodeConfig config, Pool pool, BlobStore blobs, List<RouteModule> modules) {
        this.config = config;
        this.pool = pool;
        this.blobs = blobs;
        this.modules = List.copyOf(modules);
    }

    @Override
    public Future<?> start() {
        return migrate().compose(v -> listen(routes()));
    }

    /**
     * Brings the schema up to date. Every instance runs it; the first one applies what is pending under an advisory lock
     * and the others then find nothing to do.
     */
    private Future<List<String>> migrate() {
        return Migrations.load(vertx, Migrations.NODE_DIRECTORY).compose(migrations -> migrations.apply(pool));
    }

    /** Every route of the node, in matching order. */
    Router routes() {
        Router router = Router.router(vertx);
        BodyHandler json = BodyHandler.create(false).setBodyLimit(config.maxJsonBytes());
        ProblemFailureHandler problems = ProblemFailureHandler.create();

        router.route().handler(AccessLogHandler.create());
        router.route("/v1/*").handler(CorsHandler.create()
                .addOrigin("*")
                .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.HEAD))
                .allowedHeaders(Set.of("Range", "If-None-Match", "If-Range"))
                .exposedHeaders(CORS_EXPOSED)
                .maxAgeSeconds(86400));

        new HealthRoutes(pool, NodeMetrics.registryOf(vertx)).mount(router, json);  // GET /healthz, GET /metrics
        new BlobRoutes(blobs, config.maxBlobBytes()).mount(router, json);          // PUT, GET, HEAD /v1/blobs/:digest
        modules.forEach(module -> module.mount(router, json));                     // the features: see Features.all
        config.siteDir().ifPresent(site -> router.route("/*").handler(site(site)));  // the static site at /

        router.route().failureHandler(problems);
        for (int status : ROUTER_ERRORS) {
            router.errorHandler(status, problems);
        }
        return router;
    }

    private static StaticHandler site(Path dir) {
        return StaticHandler.create(FileSystemAccess.ROOT, dir.toAbsolutePath().normalize().toString())
                .setCachingEnabled(true)
                .setMaxAgeSeconds(SITE_MAX_AGE_SECONDS)
                .setIndexPage("index.html")
                .setIncludeHidden(false)
                .setDirectoryListing(false);
    }

    private Future<HttpServer> listen(Router router) {
        return vertx.createHttpServer(new HttpServerOptions()
                        .setPort(config.port())
                        .setHost(config.host())
                        .setDecompressionSupported(false))
                .requestHandler(router)
                .listen()
                .onSuccess(s -> server = s);
    }

    /** The port this instance listens on (after start). */
    int actualPort() {
        return server == null ? -1 : server.actualPort();
    }
}
