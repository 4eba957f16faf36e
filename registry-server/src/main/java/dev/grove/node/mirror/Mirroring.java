package dev.grove.node.mirror;

import dev.grove.node.NodeServices;
import dev.grove.node.RouteModule;
import dev.grove.node.health.NodeMetrics;
import dev.grove.node.lineage.LineageReproduction;
import dev.grove.node.log.MirroredLogs;
import dev.grove.node.packages.VersionDocuments;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mirror of one node, assembled from its services: the peers it follows ({@code NodeConfig.peers()}), the
 * followers, and the routes. Mounting the routes (in a registry verticle's start, after the schema was migrated)
 * deploys the followers once, as a child of that verticle, so they stop with the node.
 *
 * <pre>{@code
 * Mirroring mirror = Mirroring.open(services, documents);
 * modules.add(mirror.routes());
 * }</pre>
 */
public final class Mirroring {

    private static final Logger LOG = LoggerFactory.getLogger(Mirroring.class);

    private final NodeServices services;
    private final List<PeerSpec> specs;
    private final PeerStore peers;
    private final RouteModule routes;
    private final AtomicBoolean started = new AtomicBoolean();

    private Mirroring(NodeServices services, List<PeerSpec> specs, VersionDocuments documents) {
        this.services = services;
        this.specs = specs;
        this.peers = new PeerStore(services.pool());
        this.routes = new MirrorRoutes(this, services.pool(), peers, documents, new MirrorLog(services.pool()));
    }

    /**
     * @throws IllegalArgumentException when a configured peer is not {@code URL}, {@code URL#KEY} or
     *                                  {@code URL1,URL2#KEY}, or names one log with two keys
     */
    public static Mirroring open(NodeServices services, VersionDocuments documents) {
        List<PeerSpec> specs = PeerSpec.group(services.config().peers().stream().map(PeerSpec::parse).toList());
        return new Mirroring(services, specs, documents);
    }

    /** The peers' logs as the mirror keeps them, for the version documents of mirrored packages. */
    public static MirroredLogs logs(NodeServices services) {
        return new MirrorLog(services.pool());
    }

    public RouteModule routes() {
        return routes;
    }

    /** Deploys the followers, the first time only (there is nothing to run when no peer is configured). */
    void startFollowing() {
        if (specs.isEmpty() || !started.compareAndSet(false, true)) {
            return;
        }
        var vertx = services.vertx();
        MirrorLog log = new MirrorLog(services.pool());
        MirrorStore store = new MirrorStore(services.pool(), log);
        MirrorMetrics metrics = new MirrorMetrics(NodeMetrics.registryOf(vertx));
        var interval = services.config().followInterval();
        OriginClaims claims = new OriginClaims();
        LineageReproduction reproduction = new LineageReproduction(services.pool(), services.blobs());
        Mirror mirror = new Mirror(specs, interval, peers, claims, (spec, layout, web, http, stopped) ->
                new PeerFollower(new PeerClient(web, http, layout), spec.key(), claims, spec.urls().get(0), peers,
                        store, log, services.blobs(), reproduction, metrics, vertx, interval, stopped));
        vertx.deployVerticle(mirror).onFailure(e -> LOG.error("cannot start following peers", e));
    }
}
