package dev.grove.node.witness;

import dev.grove.node.NodeConfig;
import dev.grove.node.NodeServices;
import dev.grove.node.RouteModule;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The witnessing feature of a node, both roles: the witness routes ({@link WitnessRoutes}) and, when the node's log is
 * given and witnesses are configured, the {@link CosignatureCollector} that asks them after each new checkpoint (the
 * log calls {@link #checkpointIssued()}; a timer started with the first verticle also looks every
 * {@link #POLL_MS} ms, so a missed call costs at most that).
 */
public final class Witnessing implements RouteModule {

    /** How often the latest checkpoint is looked at for witnesses to ask. */
    public static final long POLL_MS = 1_000;

    private final Vertx vertx;
    private final Witness witness;
    private final WitnessRoutes routes;
    private final CosignatureStore cosignatures;
    private final Optional<CosignatureCollector> collector;
    private final AtomicBoolean timerStarted = new AtomicBoolean();

    private Witnessing(Vertx vertx, Witness witness, CosignatureStore cosignatures,
                       Optional<CosignatureCollector> collector) {
        this.vertx = vertx;
        this.witness = witness;
        this.routes = new WitnessRoutes(witness);
        this.cosignatures = cosignatures;
        this.collector = collector;
    }

    /**
     * Builds the feature: loads (or creates) the witness key on a worker thread, trusts the logs of
     * {@code config.witness().logs()} and then {@code peers} (the logs this node follows, when configured to witness
     * them), and asks {@code config.witness().witnesses()} to cosign {@code log}'s checkpoints (once per checkpoint).
     *
     * @param peers        the followed peers' logs ({@link KnownLogs#followedPeers}), {@link KnownLogs#none()} without
     * @param cosignatures where the cosignatures the witnesses return are kept (the log reads them from there)
     * @param log          the node's own log, empty when it has none
     */
    public static Witnessing create(NodeServices services, KnownLogs peers, CosignatureStore cosignatures,
                                    Optional<LogCheckpoints> log) {
        NodeConfig config = services.config();
        Vertx vertx = services.vertx();
        String name = WitnessKey.nameFor(config.publicUrl());
        Future<WitnessKey> key = vertx.executeBlocking(() -> WitnessKeyFile.loadOrCreate(config.dataDir(), name), false);
        KnownLogs known = KnownLogs.of(config.witness().logs());
        if (config.witness().witnessFollowed()) {
            known = known.or(Objects.requireNonNull(peers, "peers"));
        }
        Witness witness = new Witness(services.pool(), known, key, () -> System.currentTimeMillis() / 1000);
        Optional<CosignatureCollector> collector = log.filter(l -> !config.witness().witnesses().isEmpty())
                .map(l -> new CosignatureCollector(vertx, services.pool(), l, config.witness().witnesses(),
                        cosignatures));
        return new Witnessing(vertx, witness, cosignatures, collector);
    }

    @Override
    public void mount(Router router, BodyHandler json) {
        routes.mount(router, json);
        // mount runs on a verticle's context: the timer belongs to that verticle and ends when the node stops
        if (collector.isPresent() && timerStarted.compareAndSet(false, true)) {
            vertx.setPeriodic(POLL_MS, POLL_MS, id -> collector.get().collect());
        }
    }

    /** The witness (this node cosigning other logs). */
    public Witness witness() {
        return witness;
    }

    /** The cosignatures collected for this node's checkpoints, for the log's checkpoint route. */
    public CosignatureStore cosignatures() {
        return cosignatures;
    }

    /** The log calls this after it issued a new checkpoint: asks the witnesses now, in the background. */
    public void checkpointIssued() {
        collector.ifPresent(CosignatureCollector::collect);
    }

    /** Asks the witnesses about the latest checkpoint now; completes when all answered or failed (tests use it). */
    public Future<Void> collectNow() {
        return collector.map(CosignatureCollector::collect).orElse(Future.succeededFuture());
    }
}
