package dev.grove.node;

import dev.grove.node.documents.DocumentSchemas;
import dev.grove.node.lineage.LineageRoutes;
import dev.grove.node.log.NodeLog;
import dev.grove.node.namespace.NamespaceRoutes;
import dev.grove.node.packages.PackageRoutes;
import dev.grove.node.packages.VersionDocuments;
import dev.grove.node.publish.PackagePublisher;
import dev.grove.node.publish.PublishRoutes;
import dev.grove.node.search.SearchRoutes;
import dev.grove.node.yank.YankRoutes;

import java.util.List;

/**
 * The node's feature modules: the one place a feature is plugged in. {@code grove serve} and the tests that run a whole
 * node pass {@code Features::all} to {@link Node#start}.
 */
public final class Features {

    private Features() {
    }

    /** Every feature's routes, in mounting order, with the node's log opened with its defaults. */
    public static List<RouteModule> all(NodeServices services) {
        return all(services, NodeLog.open(services));
    }

    /** Every feature's routes, in mounting order, recording what they accept in {@code log}. */
    public static List<RouteModule> all(NodeServices services, NodeLog log) {
        DocumentSchemas schemas = DocumentSchemas.load();
        String origin = services.config().publicUrl();
        VersionDocuments documents = new VersionDocuments(services.pool(), origin, log.reader());
        return List.of(
                new PublishRoutes(new PackagePublisher(services.pool(), services.blobs(), schemas, log.appender())),
                new PackageRoutes(documents),
                new YankRoutes(services.pool(), schemas, log.appender()),
                new NamespaceRoutes(services.pool(), schemas, log.appender()),
                log.routes(),
                new SearchRoutes(services.pool(), origin),
                new LineageRoutes(services.pool(), origin));
    }
}
