package dev.grove.node.log;

import dev.grove.node.NodeServices;
import dev.grove.node.RouteModule;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's log, assembled from its services: the key ({@code <dataDir>/log-key.json}, named after the origin derived
 * from the public URL), the appender the features append with, the reader, the integrator and the routes.
 *
 * <pre>{@code
 * NodeLog log = NodeLog.open(services);
 * new PackagePublisher(pool, blobs, schemas, log.appender());
 * modules.add(log.routes());   // mounting it also starts the integrator, once per node
 * }</pre>
 */
public final class NodeLog {

    private static final Logger LOG = LoggerFactory.getLogger(NodeLog.class);

    private final Vertx vertx;
    private final Pool pool;
    private final LogSettings settings;
    private final CheckpointCosignatures cosignatures;
    private final String publicUrl;
    private final LogKey key;
    private final LogAppender appender;
    private final LogReader reader;
    private final Integrator integrator;
    private final RouteModule routes;
    private final AtomicBoolean integrating = new AtomicBoolean();

    private NodeLog(Vertx vertx, Pool pool, LogKey key, LogSettings settings, CheckpointCosignatures cosignatures,
                    String publicUrl, LogAppender appender) {
        this.vertx = vertx;
        this.pool = pool;
        this.settings = settings;
        this.cosignatures = cosignatures;
        this.publicUrl = publicUrl;
        this.key = key;
        this.appender = appender;
        this.reader = new PgLogReader(pool, cosignatures);
        this.integrator = new Integrator(pool, key, settings);
        this.routes = new LogRoutes(this, publicUrl);
    }

    /** The log with default settings and no witness cosignatures. Reads (or creates) the key file: blocking, once. */
    public static NodeLog open(NodeServices services) {
        return open(services, LogSettings.defaults(), CheckpointCosignatures.none());
    }

    /** The log with these settings and cosignatures. Reads (or creates) the key file: blocking, once. */
    public static NodeLog open(NodeServices services, LogSettings settings, CheckpointCosignatures cosignatures) {
        String publicUrl = services.config().publicUrl();
        LogKey key = LogKeyFile.loadOrCreate(services.config().dataDir(), LogKey.originFor(publicUrl));
        return new NodeLog(services.vertx(), services.pool(), key, settings, cosignatures, publicUrl, new PgLogAppender());
    }

    /** This log with another appender, for the benchmark that measures what appending costs a publish. */
    NodeLog withAppender(LogAppender other) {
        return new NodeLog(vertx, pool, key, settings, cosignatures, publicUrl, other);
    }

    public LogKey key() {
        return key;
    }

    public LogAppender appender() {
        return appender;
    }

    public LogReader reader() {
        return reader;
    }

    /** The integrator (running once {@link #routes()} was mounted). */
    public Integrator integrator() {
        return integrator;
    }

    /** The log's routes; the first mount also deploys the integrator as a child of the mounting verticle. */
    public RouteModule routes() {
        return routes;
    }

    /**
     * Deploys the integrator, the first time only. Called from {@link RouteModule#mount}, which runs in a registry
     * verticle's start after the schema was migrated; the integrator deployed from there is undeployed with it.
     */
    void startIntegrator() {
        if (integrating.compareAndSet(false, true)) {
            vertx.deployVerticle(integrator).onFailure(e -> LOG.error("cannot start the log integrator", e));
        }
    }
}
