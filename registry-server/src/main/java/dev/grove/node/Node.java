package dev.grove.node;

import dev.grove.node.feature.NodeServices;
import dev.grove.node.feature.Feature;
import dev.grove.node.feature.RouteModule;
import dev.grove.node.blob.BlobStore;
import dev.grove.node.blob.BlobLocation;
import dev.grove.node.blob.BlobStores;
import dev.grove.node.db.DatabaseOutage;
import dev.grove.node.db.EmbeddedDatabase;
import dev.grove.node.db.Migrations;
import dev.grove.node.db.NodeProcesses;
import dev.grove.node.health.NodeMetrics;
import dev.grove.node.http.BodyBudget;
import dev.grove.node.log.LogKeyFile;
import dev.grove.node.reports.IssuerKeyFile;
import dev.grove.node.secrets.SharedKeys;
import dev.grove.node.witness.WitnessKeyFile;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running registry node: its database (embedded or external), pool, blob store, jobs and HTTP verticles.
 *
 * <pre>{@code
 * NodeMetrics metrics = NodeMetrics.create();
 * Node.start(metrics, NodeConfig.defaults().withPort(0).withDataDir(dir), Features::all)
 *     .onSuccess(node -> System.out.println("listening on " + node.port()));
 * }</pre>
 *
 * The node does not own {@code vertx}: {@link #stop()} stops the node and leaves {@code vertx} running.
 */
public final class Node {

    private static final Logger LOG = LoggerFactory.getLogger(Node.class);
    private static final int POOL_WAIT_SECONDS = 10;
    private static final int CONNECT_TIMEOUT_MS = 5000;

    private final Vertx vertx;
    private final PrometheusMeterRegistry meters;
    private final NodeConfig config;
    private final Pool pool;
    private final BlobStore blobs;
    private final Optional<EmbeddedDatabase> embedded;
    private final RunningJobs jobs;
    private final String httpDeployment;
    private final DatabaseOutage outage;
    private final PgConnectOptions database;

    private Node(Vertx vertx, PrometheusMeterRegistry meters, NodeConfig config, Pool pool, BlobStore blobs,
                 Optional<EmbeddedDatabase> embedded, RunningJobs jobs, String httpDeployment, DatabaseOutage outage,
                 PgConnectOptions database) {
        this.vertx = vertx;
        this.meters = meters;
        this.config = config;
        this.pool = pool;
        this.blobs = blobs;
        this.embedded = embedded;
        this.jobs = jobs;
        this.httpDeployment = httpDeployment;
        this.outage = outage;
        this.database = database;
    }

    /**
     * Starts a node, in this order: resolves port 0 to a free port, starts the embedded database unless
     * {@code config.pgUrl()} is set, opens the pool, migrates the schema (once per node), checks that its secret files
     * hold the keys the node's other processes hold, opens the blob store and removes what crashed uploads left there
     * (only when no other process of the node is connected), builds the features, starts their jobs (once per node), then
     * deploys {@code config.instances()} HTTP verticles that mount the features' routes and listen. On failure everything
     * started so far is stopped again.
     *
     * @param features the node's features, built from its configuration and services (normally {@code Features::all})
     */
    public static Future<Node> start(Vertx vertx, NodeConfig requested,
                                     BiFunction<NodeConfig, NodeServices, List<Feature>> features) {
        return start(NodeMetrics.of(vertx), requested, features);  // the one lookup of the registry: see NodeMetrics.of
    }

    /**
     * {@link #start(Vertx, NodeConfig, BiFunction)} on {@code metrics.vertx()}, recording into {@code metrics.registry()}
     * (carried to the features as {@link NodeServices#meters()} and served at {@code /metrics}).
     */
    public static Future<Node> start(NodeMetrics metrics, NodeConfig requested,
                                     BiFunction<NodeConfig, NodeServices, List<Feature>> features) {
        Vertx vertx = metrics.vertx();
        PrometheusMeterRegistry meters = metrics.registry();
        return resolvePort(vertx, requested).compose(config -> database(vertx, config).compose(db -> {
            NodeProcesses processes = NodeProcesses.create();
            Pool pool = openPool(vertx, config, processes.tag(db.options()));
            DatabaseOutage outage = DatabaseOutage.watching(vertx, pool);
            return migrate(vertx, pool)
                    .compose(migrated -> checkSharedKeys(vertx, pool, config))
                    .compose(checked -> BlobStores.open(vertx, config.blobs(), config.blobDir()))
                    .compose(blobs -> removeLeftovers(pool, processes, blobs)
                            .compose(removed -> Future.<List<Feature>>future(p -> p.complete(List.copyOf(
                                    features.apply(config, services(vertx, meters, config, pool, blobs, db.options()))))))
                            .compose(all -> RunningJobs.start(vertx, all.stream().flatMap(f -> f.jobs().stream()).toList())
                                    .compose(jobs -> listen(vertx, meters, config, pool, blobs, all, outage)
                                            .map(http -> new Node(vertx, meters, config, pool, blobs, db.embedded(), jobs, http,
                                                    outage, db.options()))
                                            .recover(e -> jobs.stop().transform(ignored -> Future.failedFuture(e)))))
                            .recover(e -> blobs.close().transform(ignored -> Future.failedFuture(e))))
                    .onSuccess(node -> LOG.info("Grove node listening on {} ({}:{}, {} instance(s), data in {}, {}, blobs in {})",
                            config.publicUrl(), config.host(), config.port(), config.instances(),
                            config.dataDir().toAbsolutePath(), db.description(),
                            config.blobs() instanceof BlobLocation.S3 s3 ? s3 : config.blobDir().toAbsolutePath()))
                    .recover(e -> {
                        outage.close();
                        return pool.close()
                                .transform(ignored -> db.embedded().map(d -> d.close(vertx)).orElse(Future.succeededFuture()))
                                .transform(ignored -> Future.failedFuture(e));
                    });
        }));
    }

    private static Future<NodeConfig> resolvePort(Vertx vertx, NodeConfig config) {
        if (config.port() != 0) {
            return Future.succeededFuture(config);
        }
        return vertx.executeBlocking(() -> {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(config.host(), 0));
                return config.withPort(socket.getLocalPort());
            }
        }, false);
    }

    private record Database(PgConnectOptions options, Optional<EmbeddedDatabase> embedded, String description) {
    }

    private static Future<Database> database(Vertx vertx, NodeConfig config) {
        if (config.pgUrl().isPresent()) {
            PgConnectOptions options;
            try {
                options = PgConnectOptions.fromUri(config.pgUrl().get());
            } catch (RuntimeException e) {
                // never echo the URL: it may hold a password
                return Future.failedFuture(new IllegalArgumentException(
                        "--pg-url is not a postgresql://user:password@host:port/database URI"));
            }
            return Future.succeededFuture(new Database(options, Optional.empty(),
                    "PostgreSQL at " + options.getHost() + ":" + options.getPort() + "/" + options.getDatabase()));
        }
        return EmbeddedDatabase.start(vertx, config.postgresDir()).map(db -> new Database(db.connectOptions(),
                Optional.of(db), "embedded PostgreSQL on port " + db.port()));
    }

    /**
     * Refuses to start a process whose secret files (log, report issuer and witness keys, created here when missing)
     * differ from those of the node's other processes, as recorded in the database by the first process.
     */
    private static Future<Void> checkSharedKeys(Vertx vertx, Pool pool, NodeConfig config) {
        Path dir = config.dataDir();
        return vertx.executeBlocking(() -> List.of(LogKeyFile.held(dir), IssuerKeyFile.held(dir),
                WitnessKeyFile.held(dir)), false).compose(held -> SharedKeys.check(pool, dir, held));
    }

    /**
     * Removes what uploads cut by a crash left in the blob store, only when no other process of the node is connected:
     * with several processes on one store, a leftover may be another process's upload in flight.
     */
    private static Future<Void> removeLeftovers(Pool pool, NodeProcesses processes, BlobStore blobs) {
        return processes.whenAlone(pool, blobs::removeLeftovers).map(alone -> {
            if (!alone) {
                LOG.info("other processes of this node are running: unfinished uploads in the blob store are left to "
                        + "the next start of a process running alone");
            }
            return null;
        });
    }

    private static Pool openPool(Vertx vertx, NodeConfig config, PgConnectOptions options) {
        // bounded waits: while the database is unreachable a request fails within seconds (503), never hangs
        return PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(Math.max(8, 4 * config.instances()))
                        .setConnectionTimeout(POOL_WAIT_SECONDS).setConnectionTimeoutUnit(TimeUnit.SECONDS))
                .with(new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS))
                .connectingTo(options.setCachePreparedStatements(true))
                .using(vertx)
                .build();
    }

    /**
     * Brings the schema up to date before anything reads it. Processes sharing the database each run it; the first
     * applies what is pending under an advisory lock and the others then find nothing to do.
     */
    private static Future<List<String>> migrate(Vertx vertx, Pool pool) {
        return Migrations.load(vertx, Migrations.NODE_DIRECTORY).compose(migrations -> migrations.apply(pool));
    }

    /** Deploys the HTTP verticles, one per event loop, sharing the port; each mounts every feature's routes. */
    private static Future<String> listen(Vertx vertx, PrometheusMeterRegistry meters, NodeConfig config, Pool pool,
                                         BlobStore blobs, List<Feature> features, DatabaseOutage outage) {
        List<RouteModule> routes = features.stream().map(Feature::routes).toList();
        BodyBudget budget = BodyBudget.of(config.limits());
        return vertx.deployVerticle(() -> new RegistryVerticle(config, pool, blobs, meters, routes, outage, budget),
                new DeploymentOptions().setInstances(config.instances()));
    }

    /** The port the node listens on (the free port chosen when port 0 was asked for). */
    public int port() {
        return config.port();
    }

    /** The configuration the node runs with (its port resolved). */
    /** What the node's features were built from, for code that builds a feature of a running node (tests, the demo). */
    public NodeServices services() {
        return services(vertx, meters, config, pool, blobs, database);
    }

    private static NodeServices services(Vertx vertx, PrometheusMeterRegistry meters, NodeConfig config, Pool pool,
                                         BlobStore blobs, PgConnectOptions database) {
        return new NodeServices(vertx, pool, blobs, config.publicUrl(), config.dataDir(), meters, database);
    }

    public NodeConfig config() {
        return config;
    }

    /** The node's database pool. */
    public Pool pool() {
        return pool;
    }

    /** The node's blob store. */
    public BlobStore blobs() {
        return blobs;
    }

    /**
     * Stops the node in the reverse order of {@link #start}: stops listening (requests in flight get a few seconds),
     * stops the jobs (waiting for the rounds in flight), closes the pool and stops the embedded database; {@code vertx}
     * stays up.
     */
    public Future<Void> stop() {
        return vertx.undeploy(httpDeployment)
                .transform(ignored -> jobs.stop())
                .transform(ignored -> {
                    outage.close();
                    return pool.close();
                })
                .transform(ignored -> embedded.map(db -> db.close(vertx)).orElse(Future.succeededFuture()))
                .transform(ignored -> blobs.close())
                .onComplete(ignored -> LOG.info("Grove node stopped"));
    }
}
