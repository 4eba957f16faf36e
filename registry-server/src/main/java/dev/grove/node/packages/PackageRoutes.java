package dev.grove.node.packages;

import dev.grove.node.feature.RouteModule;
import dev.grove.node.http.PathParams;
import dev.grove.node.http.JsonRepresentation;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/** Reads of packages and versions. */
public final class PackageRoutes implements RouteModule {

    private final VersionDocuments documents;

    public PackageRoutes(VersionDocuments documents) {
        this.documents = documents;
    }

    @Override
    public void mount(Router router, BodyHandler json) {
        router.get("/v1/packages/:namespace/:name").handler(this::versions);
        router.get("/v1/packages/:namespace/:name/versions/:version").handler(this::version);
        router.get("/v1/digests/:digest").handler(this::byDigest);
    }

    private void versions(RoutingContext ctx) {
        documents.versionsJson(PathParams.packageName(ctx)).onSuccess(doc -> json(ctx, doc)).onFailure(ctx::fail);
    }

    private void version(RoutingContext ctx) {
        documents.versionJson(PathParams.packageName(ctx), ctx.pathParam("version")).onSuccess(doc -> json(ctx, doc)).onFailure(ctx::fail);
    }

    private void byDigest(RoutingContext ctx) {
        documents.byDigestJson(PathParams.digest(ctx.pathParam("digest")).toString()).onSuccess(doc -> json(ctx, doc)).onFailure(ctx::fail);
    }

    /** Version and package documents show parts that change (status, yank, release, log proof): revalidated. */
    static void json(RoutingContext ctx, JsonRepresentation doc) {
        doc.send(ctx, JsonRepresentation.REVALIDATE);
    }
}
