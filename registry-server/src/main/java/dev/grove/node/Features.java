package dev.grove.node;

import dev.grove.node.feature.NodeServices;
import dev.grove.node.feature.Feature;
import dev.grove.node.documents.DocumentSchemas;
import dev.grove.node.lineage.LineageRoutes;
import dev.grove.node.log.LogSettings;
import dev.grove.node.log.NodeLog;
import dev.grove.node.mirror.Mirroring;
import dev.grove.node.namespace.KeysetChanges;
import dev.grove.node.namespace.NamespaceRoutes;
import dev.grove.node.packages.PackageRoutes;
import dev.grove.node.packages.VersionDocuments;
import dev.grove.node.publish.PackagePublisher;
import dev.grove.node.publish.PublishRoutes;
import dev.grove.node.release.Release;
import dev.grove.node.reports.ReportRoutes;
import dev.grove.node.search.SearchRoutes;
import dev.grove.node.witness.CosignatureStore;
import dev.grove.node.witness.KnownLogs;
import dev.grove.node.witness.NodeLogCheckpoints;
import dev.grove.node.witness.Witnessing;
import dev.grove.node.yank.YankRoutes;
import dev.grove.node.yank.Yanks;

import java.util.List;
import java.util.Optional;

/**
 * The node's features, each its routes and its jobs: the one place a feature is plugged in. {@code grove serve} and the
 * tests that run a whole node pass {@code Features::all} to {@link Node#start}.
 */
public final class Features {

    private Features() {
    }

    /**
     * Every feature, its routes in mounting order, with the node's log opened with its defaults and serving the witness
     * cosignatures the node collects.
     */
    public static List<Feature> all(NodeConfig config, NodeServices services) {
        CosignatureStore cosignatures = new CosignatureStore(services.pool());
        return all(config, services, NodeLog.open(services, LogSettings.defaults(), cosignatures), cosignatures);
    }

    /** Every feature, its routes in mounting order, recording what they accept in {@code log}. */
    public static List<Feature> all(NodeConfig config, NodeServices services, NodeLog log) {
        return all(config, services, log, new CosignatureStore(services.pool()));
    }

    /**
     * Every feature, its routes in mounting order, recording what they accept in {@code log} and keeping the witnesses'
     * cosignatures of its checkpoints in {@code cosignatures} (which {@code log} should serve: open it with them). The
     * log, witnessing, the mirror and release each bring a job besides their routes.
     */
    public static List<Feature> all(NodeConfig config, NodeServices services, NodeLog log,
                                    CosignatureStore cosignatures) {
        DocumentSchemas schemas = DocumentSchemas.load();
        String origin = services.publicUrl();
        VersionDocuments documents = new VersionDocuments(services.pool(), origin, log.reader(),
                Mirroring.logs(services), services.meters());
        PackageRoutes packages = new PackageRoutes(documents);
        return List.of(
                // first: a write answered by any feature's route is read back exactly; + the notifications' listener
                Feature.of(documents.writesReadBack(), documents.notifications(services.database())),
                Feature.of(new PublishRoutes(new PackagePublisher(services.vertx(), services.pool(), services.blobs(), schemas,
                        log.appender()))),
                Feature.of(packages),
                Feature.of(new YankRoutes(new Yanks(services.pool(), schemas, log.appender()))),
                Feature.of(new NamespaceRoutes(services.pool(),
                        new KeysetChanges(services.pool(), schemas, log.appender()))),
                log.feature(),                                         // + the integrator
                Witnessing.create(services, config.witness(), KnownLogs.followedPeers(services.pool()), cosignatures,
                        Optional.of(new NodeLogCheckpoints(log.reader(), log.key().verifier()))).feature(), // + the poll
                Feature.of(new SearchRoutes(services.pool(), origin)),
                Feature.of(new LineageRoutes(services.pool(), origin)),
                // + the followers, when following peers
                Mirroring.open(services, packages, config.peers(), config.followInterval()).feature(),
                // + the evaluator
                Release.open(services, log, config.release(), config.reports().minimumReports()).feature(),
                Feature.of(ReportRoutes.open(services, config.reports(), config.trustedProxies())));
    }
}
