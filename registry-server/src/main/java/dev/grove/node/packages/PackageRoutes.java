package dev.grove.node.packages;

import dev.grove.crypto.Sha256;
import dev.grove.node.RouteModule;
import dev.grove.node.http.ProblemException;
import dev.grove.pkg.PackageName;
import io.vertx.core.buffer.Buffer;
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
        documents.versionsJson(packageName(ctx)).onSuccess(doc -> json(ctx, doc)).onFailure(ctx::fail);
    }

    private void version(RoutingContext ctx) {
        documents.versionJson(packageName(ctx), ctx.pathParam("version")).onSuccess(doc -> json(ctx, doc)).onFailure(ctx::fail);
    }

    private void byDigest(RoutingContext ctx) {
        documents.byDigestJson(digest(ctx.pathParam("digest")).toString()).onSuccess(doc -> json(ctx, doc)).onFailure(ctx::fail);
    }

    /** The package named by the {@code namespace} and {@code name} path parameters; 400 when they are not valid names. */
    public static PackageName packageName(RoutingContext ctx) {
        String text = ctx.pathParam("namespace") + "/" + ctx.pathParam("name");
        try {
            return PackageName.parse(text);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(e.getMessage());
        }
    }

    /** A {@code sha256:<hex>} path parameter; 400 when it is not one. */
    public static Sha256 digest(String text) {
        try {
            return Sha256.parse(text);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(e.getMessage());
        }
    }

    static void json(RoutingContext ctx, Buffer doc) {
        ctx.response().putHeader("Content-Type", "application/json").end(doc);
    }
}
