package dev.grove.node;

import dev.grove.node.feature.RouteModule;
import dev.grove.node.blob.BlobRoutes;
import dev.grove.node.blob.BlobStore;
import dev.grove.node.db.DatabaseOutage;
import dev.grove.node.health.HealthRoutes;
import dev.grove.node.http.AccessLogHandler;
import dev.grove.node.http.BodyBudget;
import dev.grove.node.http.BodyReader;
import dev.grove.node.http.ConnectionDeadlines;
import dev.grove.node.http.Cors;
import dev.grove.node.http.ProblemFailureHandler;
import dev.grove.node.site.SiteRoutes;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import dev.grove.node.http.InvalidRequestHandler;
import dev.grove.node.http.RequestEdge;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The registry's HTTP API on one event loop. {@link Node} deploys one instance per core once the schema is migrated and
 * the jobs run; they share the pool, the blob store and the port. A verticle only serves: it starts no background work.
 */
public final class RegistryVerticle extends VerticleBase {

    private static final long SHUTDOWN_GRACE_SECONDS = 5;
    /**
     * The site is served on one GET/HEAD route for every path outside the API, so that an unknown API path is a 404 and a
     * wrong method on a known one a 405.
     */
    private static final String SITE_PATHS = "^/(?!v1/).*";
    private static final int[] ROUTER_ERRORS = {400, 404, 405, 406, 413, 415, 500};

    private final NodeConfig config;
    private final Pool pool;
    private final BlobStore blobs;
    private final PrometheusMeterRegistry meters;
    private final List<RouteModule> modules;
    private final DatabaseOutage outage;
    private final BodyBudget budget;
    private HttpServer server;
    private AccessLogHandler accessLog;

    /**
     * @param outage the node's view of its database, shared by its verticles: failures it explains are answered 503
     * @param budget the bytes of request bodies the node holds in memory, shared by its verticles
     * @param meters the registry the node's Vertx records into, served at {@code /metrics}
     */
    public RegistryVerticle(NodeConfig config, Pool pool, BlobStore blobs, PrometheusMeterRegistry meters,
                            List<RouteModule> modules, DatabaseOutage outage, BodyBudget budget) {
        this.config = config;
        this.pool = pool;
        this.blobs = blobs;
        this.meters = meters;
        this.modules = List.copyOf(modules);
        this.outage = outage;
        this.budget = budget;
    }

    @Override
    public Future<?> start() {
        return listen(routes());
    }

    /** Every route of the node, in matching order. */
    Router routes() {
        Router router = Router.router(vertx);
        BodyHandler json = BodyReader.json(config.maxJsonBytes());
        ProblemFailureHandler problems = ProblemFailureHandler.create(outage);

        accessLog = AccessLogHandler.create();
        router.route().handler(accessLog);
        router.route().handler(budget.installer());
        router.route().handler(RegistryVerticle::uncompressedBlobs);
        // reads and reports from any origin, no other write from a page on another origin: see Cors
        router.route().handler(Cors.forNode(config.publicUrl()));

        new HealthRoutes(pool, meters).mount(router, json);                       // GET /healthz, GET /metrics
        new BlobRoutes(blobs, config.maxBlobBytes()).mount(router, json);          // PUT, GET, HEAD /v1/blobs/:digest
        modules.forEach(module -> module.mount(router, json));                     // the features: see Features.all
        SiteRoutes.mount(router, config.siteDir(), SITE_PATHS);                    // the static site at /

        router.route().failureHandler(problems);
        for (int status : ROUTER_ERRORS) {
            router.errorHandler(status, problems);
        }
        return router;
    }

    /**
     * Blobs go out as stored: their byte ranges must address the stored bytes, and weights do not compress much. The
     * {@code identity} encoding tells Vert.x not to compress the response (and is not sent).
     */
    private static void uncompressedBlobs(RoutingContext ctx) {
        if (ctx.normalizedPath().startsWith("/v1/blobs/")) {
            ctx.response().putHeader(io.vertx.core.http.HttpHeaders.CONTENT_ENCODING,
                    io.vertx.core.http.HttpHeaders.IDENTITY);
        }
        ctx.next();
    }

    private Future<HttpServer> listen(Router router) {
        HttpServerOptions options = new HttpServerOptions()
                .setPort(config.port())
                .setHost(config.host())
                // a silent connection is closed; a slow one is closed by ConnectionDeadlines and BodyPace
                .setIdleTimeout((int) config.limits().idleTimeout().toMillis())
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                // no h2c upgrade: plain-text HTTP/1.1 keeps streamed uploads simple; HTTP/2 belongs to TLS
                .setHttp2ClearTextEnabled(false)
                // gzip for clients that ask (the site's runtime is about 2.5 times smaller); blobs excepted
                .setCompressionSupported(true);
        ConnectionDeadlines deadlines = new ConnectionDeadlines(vertx, config.limits().headerTimeout());
        return vertx.createHttpServer(options)
                .connectionHandler(deadlines::opened)
                .invalidRequestHandler(InvalidRequestHandler.of(options))
                // without a WebSocket handler Vert.x answers a request line of another HTTP version with an empty 501
                // before the request handler sees it; with one, the edge answers it with a problem document
                .webSocketHandshakeHandler(handshake -> handshake.reject(404))
                .requestHandler(RequestEdge.before(router, deadlines))
                .listen()
                .onSuccess(s -> server = s);
    }

    /**
     * Stops accepting connections and gives requests in flight a few seconds to finish before the connections close
     * (Vert.x would otherwise wait 30 seconds).
     */
    @Override
    public Future<?> stop() {
        Future<Void> stopped = server == null ? Future.succeededFuture()
                : server.shutdown(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
        // the lines of the last requests, still waiting for their batch
        return stopped.onComplete(done -> {
            if (accessLog != null) {
                accessLog.flush();
            }
        });
    }
}
