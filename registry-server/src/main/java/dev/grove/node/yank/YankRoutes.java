package dev.grove.node.yank;

import dev.grove.node.feature.RouteModule;
import dev.grove.node.http.PathParams;
import dev.grove.node.http.ProblemException;
import dev.grove.pkg.PackageName;
import dev.grove.semver.SemVer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * {@code POST /v1/packages/{namespace}/{name}/versions/{version}/yank}: a namespace withdraws a version from {@code latest}
 * with a statement signed by its keyset ({@link Yanks}). The version stays fetchable; a yank cannot be undone, and
 * repeating it is harmless (200, {@code changed: false}).
 */
public final class YankRoutes implements RouteModule {

    private final Yanks yanks;

    public YankRoutes(Yanks yanks) {
        this.yanks = yanks;
    }

    @Override
    public void mount(Router router, BodyHandler json) {
        router.post("/v1/packages/:namespace/:name/versions/:version/yank").handler(json).handler(this::yank);
    }

    private void yank(RoutingContext ctx) {
        PackageName name = PathParams.packageName(ctx);
        String version = ctx.pathParam("version");
        try {
            SemVer.parse(version);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("'" + version + "' is not a version: " + e.getMessage());
        }
        byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        yanks.yank(name, version, body)
                .onSuccess(outcome -> ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                        .put("ref", outcome.ref()).put("yanked", true).put("changed", outcome.changed()).encode()))
                .onFailure(ctx::fail);
    }
}
