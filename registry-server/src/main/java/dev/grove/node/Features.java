package dev.grove.node;

import dev.grove.node.documents.DocumentSchemas;
import dev.grove.node.lineage.LineageRoutes;
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

    /** Every feature's routes, in mounting order. */
    public static List<RouteModule> all(NodeServices services) {
        DocumentSchemas schemas = DocumentSchemas.load();
        String origin = services.config().publicUrl();
        return List.of(
                new PublishRoutes(new PackagePublisher(services.pool(), services.blobs(), schemas)),
                new PackageRoutes(new VersionDocuments(services.pool(), origin)),
                new YankRoutes(services.pool(), schemas),
                new NamespaceRoutes(services.pool(), schemas),
                new SearchRoutes(services.pool(), origin),
                new LineageRoutes(services.pool(), origin));
    }
}
