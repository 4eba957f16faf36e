package dev.grove.node.release;

import dev.grove.node.feature.RouteModule;
import dev.grove.node.http.PathParams;
import dev.grove.node.http.ProblemException;
import dev.grove.node.http.Representation;
import dev.grove.pkg.PackageName;
import dev.grove.semver.SemVer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;

/**
 * {@code GET /v1/packages/{ns}/{name}/versions/{version}/release}: the rule's full evaluation of a version of this node
 * as of now, with the evidence as numbers, the policy, and the release state (status, latest decision).
 */
final class ReleaseRoutes implements RouteModule {

    private final Pool pool;
    private final ReleaseEvaluator evaluator;

    ReleaseRoutes(Pool pool, ReleaseEvaluator evaluator) {
        this.pool = pool;
        this.evaluator = evaluator;
    }

    @Override
    public void mount(Router router, BodyHandler json) {
        router.get("/v1/packages/:namespace/:name/versions/:version/release").handler(this::release);
    }

    private void release(RoutingContext ctx) {
        PackageName name = PathParams.packageName(ctx);
        String version = ctx.pathParam("version");
        try {
            SemVer.parse(version);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("'" + version + "' is not a version: " + e.getMessage());
        }
        ReleaseReads.digest(pool, name, version).compose(found -> {
            if (found.isEmpty()) {
                return Future.<JsonObject>failedFuture(ProblemException.notFound(name + "@" + version
                        + " is not published on this node"));
            }
            String digest = found.get();
            return evaluator.explain(digest).compose(now -> ReleaseReads.release(pool, digest).map(state -> new JsonObject()
                    .put("ref", name + "@" + version)
                    .put("digest", digest)
                    .put("status", state.getString("status"))
                    .put("evaluation", now)
                    .put("decision", state.getJsonObject("decision"))));
        }).onSuccess(doc -> Representation.json(doc).send(ctx, Representation.REVALIDATE))
                .onFailure(ctx::fail);
    }
}
