package dev.grove.node.lineage;

import dev.grove.node.feature.RouteModule;
import dev.grove.node.http.PathParams;
import dev.grove.node.http.ProblemException;
import dev.grove.node.http.Representation;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;

/**
 * {@code GET /v1/lineage/{digest}}: the ancestors and descendants of a package, following lineage edges by digest up to a
 * depth limit. Parents that this node does not hold are listed with {@code "known": false} and the origin the child cited.
 * Each known node says whether this node re-ran its lineage operator and got the same weights ({@code "reproduced"}:
 * true, false with {@code "reproducedReason"}, or null when the operator is not re-run; see {@link LineageReproduction}).
 * {@link LineageGraphs} reads the graph; this class parses the digest and the depth and writes the document.
 */
public final class LineageRoutes implements RouteModule {

    static final int DEFAULT_DEPTH = 8;
    static final int MAX_DEPTH = 32;

    private final LineageGraphs graphs;

    public LineageRoutes(Pool pool, String origin) {
        this.graphs = new LineageGraphs(pool, origin);
    }

    @Override
    public void mount(Router router, BodyHandler json) {
        router.get("/v1/lineage/:digest").handler(this::lineage);
    }

    private void lineage(RoutingContext ctx) {
        String root = PathParams.digest(ctx.pathParam("digest")).toString();
        int depth = depth(ctx);
        graphs.graph(root, depth)
                .onSuccess(doc -> Representation.json(doc).send(ctx, Representation.REVALIDATE))
                .onFailure(ctx::fail);
    }

    private static int depth(RoutingContext ctx) {
        String text = ctx.queryParams().get("depth");
        if (text == null) {
            return DEFAULT_DEPTH;
        }
        try {
            int depth = Integer.parseInt(text);
            if (depth >= 1 && depth <= MAX_DEPTH) {
                return depth;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw ProblemException.badRequest("depth must be a whole number from 1 to " + MAX_DEPTH + ", was '" + text + "'");
    }
}
