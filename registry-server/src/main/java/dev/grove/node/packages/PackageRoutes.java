package dev.grove.node.packages;

import dev.grove.node.feature.RouteModule;
import dev.grove.node.http.Representation;
import dev.grove.node.http.PathParams;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Reads of packages and versions: one set of handlers for this node's names and for each origin it mirrors.
 *
 * <pre>
 * GET /v1/packages/{ns}/{name}                              this node's names ({@link PackageOrigin#OWN}): its own
 * GET /v1/packages/{ns}/{name}/versions/{version}           package, else the one origin it mirrors one from
 * GET /v1/digests/{digest}                                  the version with that contract digest, whatever its origin
 * GET /v1/origins/{origin}/packages/{ns}/{name}             the same reads of one mirrored origin, mounted by the
 * GET /v1/origins/{origin}/packages/{ns}/{name}/versions/{version}     mirror on its origin router ({@link #mountOrigin})
 * </pre>
 */
public final class PackageRoutes implements RouteModule {

    private final VersionDocuments documents;

    public PackageRoutes(VersionDocuments documents) {
        this.documents = documents;
    }

    @Override
    public void mount(Router router, BodyHandler json) {
        router.get("/v1/packages/:namespace/:name").handler(ctx -> versions(ctx, PackageOrigin.OWN));
        router.get("/v1/packages/:namespace/:name/versions/:version").handler(ctx -> version(ctx, PackageOrigin.OWN));
        router.get("/v1/digests/:digest").handler(this::byDigest);
    }

    /**
     * Mounts the same reads on the router of one origin's copy, whose mount names the origin in the path parameter
     * {@code origin} (one URL-encoded segment, decoded by the router).
     */
    public void mountOrigin(Router origin) {
        origin.get("/packages/:namespace/:name").handler(ctx -> versions(ctx, mirrored(ctx)));
        origin.get("/packages/:namespace/:name/versions/:version").handler(ctx -> version(ctx, mirrored(ctx)));
    }

    private static PackageOrigin mirrored(RoutingContext ctx) {
        return new PackageOrigin.Mirrored(ctx.pathParam("origin"));
    }

    private void versions(RoutingContext ctx, PackageOrigin origin) {
        answer(ctx, documents.versionsJson(origin, PathParams.packageName(ctx)));
    }

    private void version(RoutingContext ctx, PackageOrigin origin) {
        answer(ctx, documents.versionJson(origin, PathParams.packageName(ctx), ctx.pathParam("version")));
    }

    private void byDigest(RoutingContext ctx) {
        answer(ctx, documents.byDigestJson(PathParams.digest(ctx.pathParam("digest")).toString()));
    }

    /** Version and package documents show parts that change (status, yank, release, log proof): revalidated. */
    private static void answer(RoutingContext ctx, Future<Representation> doc) {
        doc.onSuccess(json -> json.send(ctx, Representation.REVALIDATE)).onFailure(ctx::fail);
    }
}
