package dev.grove.node.witness;

import dev.grove.node.feature.Feature;
import dev.grove.node.feature.NodeJob;
import dev.grove.node.feature.NodeServices;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.util.Objects;
import java.util.Optional;

/**
 * The witnessing feature of a node, both roles: the witness routes ({@link WitnessRoutes}) and, when the node's log is
 * given and witnesses are configured, the {@link CosignatureCollector} that asks them after each new checkpoint (the
 * log calls {@link #checkpointIssued()}; the feature's job also looks every {@link #POLL_MS} ms, so a missed call
 * costs at most that).
 */
public final class Witnessing {

    /** How often the latest checkpoint is looked at for witnesses to ask. */
    public static final long POLL_MS = 1_000;

    private final Witness witness;
    private final WitnessRoutes routes;
    private final CosignatureStore cosignatures;
    private final Optional<CosignatureCollector> collector;

    private Witnessing(Witness witness, CosignatureStore cosignatures, Optional<CosignatureCollector> collector) {
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
     * @param settings     the node's witnessing settings (its witnesses, the logs it cosigns)
     * @param peers        the followed peers' logs ({@link KnownLogs#followedPeers}), {@link KnownLogs#none()} without
     * @param cosignatures where the cosignatures the witnesses return are kept (the log reads them from there)
     * @param log          the node's own log, empty when it has none
     */
    public static Witnessing create(NodeServices services, WitnessSettings settings, KnownLogs peers,
                                    CosignatureStore cosignatures, Optional<LogCheckpoints> log) {
        Vertx vertx = services.vertx();
        String name = WitnessKey.nameFor(services.publicUrl());
        Future<WitnessKey> key = vertx.executeBlocking(() -> WitnessKeyFile.loadOrCreate(services.dataDir(), name), false);
        KnownLogs known = KnownLogs.of(settings.logs());
        if (settings.witnessFollowed()) {
            known = known.or(Objects.requireNonNull(peers, "peers"));
        }
        Witness witness = new Witness(services.pool(), known, key, () -> System.currentTimeMillis() / 1000);
        Optional<CosignatureCollector> collector = log.filter(l -> !settings.witnesses().isEmpty())
                .map(l -> new CosignatureCollector(vertx, services.pool(), l, settings.witnesses(),
                        cosignatures));
        return new Witnessing(witness, cosignatures, collector);
    }

    /**
     * Witnessing as a feature of its node: the witness routes and, when this node asks witnesses, the poll that asks
     * them about the latest checkpoint every {@link #POLL_MS} ms as its job.
     */
    public Feature feature() {
        return collector.map(c -> Feature.of(routes, new NodeJob("the witness poll", new Poll(c))))
                .orElseGet(() -> Feature.of(routes));
    }

    /** Asks the witnesses every {@link #POLL_MS} ms, until undeployed. */
    private static final class Poll extends VerticleBase {

        private final CosignatureCollector collector;
        private long timer;

        Poll(CosignatureCollector collector) {
            this.collector = collector;
        }

        @Override
        public Future<?> start() {
            timer = vertx.setPeriodic(POLL_MS, POLL_MS, id -> collector.collect());
            return Future.succeededFuture();
        }

        @Override
        public Future<?> stop() {
            vertx.cancelTimer(timer);
            return Future.succeededFuture();
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
