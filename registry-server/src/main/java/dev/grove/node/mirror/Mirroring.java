package dev.grove.node.mirror;

import dev.grove.node.feature.Feature;
import dev.grove.node.feature.NodeJob;
import dev.grove.node.feature.NodeServices;
import dev.grove.node.feature.RouteModule;
import dev.grove.node.lineage.LineageReproduction;
import dev.grove.node.log.MirroredLogs;
import dev.grove.node.packages.PackageRoutes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The mirror of one node, assembled from its services: the peers it follows ({@code NodeConfig.peers()}), the
 * followers, and the routes. As a feature ({@link #feature()}) the followers are the node's job, run once per node
 * when it follows any peer.
 *
 * <pre>{@code
 * Mirroring mirror = Mirroring.open(services, packages, config.peers(), config.followInterval());
 * features.add(mirror.feature());
 * }</pre>
 */
public final class Mirroring {

    private final NodeServices services;
    private final List<PeerSpec> specs;
    private final Duration interval;
    private final PeerStore peers;
    private final RouteModule routes;
    private final FollowLocks locks;

    private Mirroring(NodeServices services, List<PeerSpec> specs, Duration interval, PackageRoutes packages) {
        this.services = services;
        this.specs = specs;
        this.interval = interval;
        this.peers = new PeerStore(services.pool());
        this.locks = new FollowLocks(services.vertx(), services.database());
        Map<String, String> logOf = new HashMap<>();
        for (PeerSpec spec : specs) {
            spec.urls().forEach(url -> logOf.put(url, spec.logName()));
        }
        this.routes = new MirrorRoutes(services.pool(), peers, packages, new MirrorLog(services.pool()),
                url -> logOf.containsKey(url) && locks.holds(logOf.get(url)));
    }

    /**
     * @throws IllegalArgumentException when a configured peer is not {@code URL}, {@code URL#KEY} or
     *                                  {@code URL1,URL2#KEY}, or names one log with two keys
     */
    public static Mirroring open(NodeServices services, PackageRoutes packages, List<String> peers,
                                 Duration followInterval) {
        List<PeerSpec> specs = PeerSpec.group(peers.stream().map(PeerSpec::parse).toList());
        return new Mirroring(services, specs, followInterval, packages);
    }

    /** The peers' logs as the mirror keeps them, for the version documents of mirrored packages. */
    public static MirroredLogs logs(NodeServices services) {
        return new MirrorLog(services.pool());
    }

    public RouteModule routes() {
        return routes;
    }

    /**
     * The mirror as a feature of its node: the routes and, when peers are configured, the followers as its job. Each
     * call builds new followers, so a node calls it once.
     */
    public Feature feature() {
        return specs.isEmpty() ? Feature.of(routes) : Feature.of(routes, new NodeJob("following peers", mirror()));
    }

    private Mirror mirror() {
        var vertx = services.vertx();
        MirrorLog log = new MirrorLog(services.pool());
        MirrorStore store = new MirrorStore(services.pool(), log);
        MirrorMetrics metrics = new MirrorMetrics(services.meters());
        OriginClaims claims = new OriginClaims();
        LineageReproduction reproduction = new LineageReproduction(services.pool(), services.blobs());
        return new Mirror(specs, interval, peers, claims, (spec, layout, http, stopped) ->
                new PeerFollower(new PeerClient(http, layout), spec.key(), claims, spec.urls().get(0), peers,
                        store, log, services.blobs(), reproduction, metrics, vertx, interval, stopped),
                locks, metrics);
    }
}
