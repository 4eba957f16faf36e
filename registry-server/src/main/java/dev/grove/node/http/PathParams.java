package dev.grove.node.http;

import dev.grove.crypto.Sha256;
import dev.grove.pkg.PackageName;
import io.vertx.ext.web.RoutingContext;

/** The path parameters the node's routes share, parsed or refused with a 400. */
public final class PathParams {

    private PathParams() {
    }

    /** The {@code :namespace/:name} of a route; 400 when it is not a package name. */
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
}
