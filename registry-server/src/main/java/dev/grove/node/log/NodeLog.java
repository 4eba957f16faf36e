package dev.grove.node.log;

import dev.grove.node.feature.Feature;
import dev.grove.node.feature.NodeJob;
import dev.grove.node.feature.NodeServices;
import dev.grove.node.feature.RouteModule;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

/**
 * One node's log, assembled from its services: the key ({@code <dataDir>/log-key.json}, named after the origin derived
 * from the public URL), the appender the features append with, the sequencer that gives appended entries their indices,
 * the reader, the integrator and the routes.
 *
 * <pre>{@code
 * NodeLog log = NodeLog.open(services);
 * new PackagePublisher(pool, blobs, schemas, log.appender());
 * features.add(log.feature());   // the routes, and the integrator as the node's job
 * }</pre>
 */
public final class NodeLog {

    private final Vertx vertx;
    private final Pool pool;
    private final LogSettings settings;
    private final CheckpointCosignatures cosignatures;
    private final String publicUrl;
    private final LogKey key;
    private final LogSequencer sequencer;
    private final LogAppender appender;
    private final LogReader reader;
    private final Integrator integrator;
    private final RouteModule routes;

    private NodeLog(Vertx vertx, Pool pool, LogKey key, LogSettings settings, CheckpointCosignatures cosignatures,
                    String publicUrl, LogSequencer sequencer, LogAppender appender) {
        this.vertx = vertx;
        this.pool = pool;
        this.settings = settings;
        this.cosignatures = cosignatures;
        this.publicUrl = publicUrl;
        this.key = key;
        this.sequencer = sequencer;
        this.appender = appender;
        this.reader = new PgLogReader(pool, cosignatures);
        this.integrator = new Integrator(pool, key, settings, sequencer);
        this.routes = new LogRoutes(this, publicUrl);
    }

    /** The log with default settings and no witness cosignatures. Reads (or creates) the key file: blocking, once. */
    public static NodeLog open(NodeServices services) {
        return open(services, LogSettings.defaults(), CheckpointCosignatures.none());
    }

    /** The log with these settings and cosignatures. Reads (or creates) the key file: blocking, once. */
    public static NodeLog open(NodeServices services, LogSettings settings, CheckpointCosignatures cosignatures) {
        String publicUrl = services.publicUrl();
        LogKey key = LogKeyFile.loadOrCreate(services.dataDir(), LogKey.originFor(publicUrl));
        LogSequencer sequencer = new LogSequencer(services.vertx(), services.pool(), settings.maxEntriesPerRound(),
                LogSequencer.DEFAULT_WAIT);
        return new NodeLog(services.vertx(), services.pool(), key, settings, cosignatures, publicUrl, sequencer,
                new PgLogAppender(sequencer));
    }

    /** This log with another appender, for the benchmark that measures what appending costs a publish. */
    NodeLog withAppender(LogAppender other) {
        return new NodeLog(vertx, pool, key, settings, cosignatures, publicUrl, sequencer, other);
    }

    public LogKey key() {
        return key;
    }

    public LogAppender appender() {
        return appender;
    }

    /** Gives appended entries their indices (the integrator runs a round before each integration). */
    public LogSequencer sequencer() {
        return sequencer;
    }

    public LogReader reader() {
        return reader;
    }

    /** The integrator (running while the node that has {@link #feature()} runs). */
    public Integrator integrator() {
        return integrator;
    }

    /** The log's routes. */
    public RouteModule routes() {
        return routes;
    }

    /** The log as a feature of its node: its routes, and the integrator as its job. */
    public Feature feature() {
        return Feature.of(routes, new NodeJob("the log integrator", integrator));
    }
}
