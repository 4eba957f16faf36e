package dev.grove.node.feature;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * A feature's HTTP routes. {@link dev.grove.node.RegistryVerticle#routes()} mounts every module, in order, after the node's own routes
 * (health, metrics, blobs) and before the static site.
 *
 * <p>{@link #mount} is called once per verticle instance (one per event loop), so a module must be stateless or
 * thread-safe (a {@code Pool} and a {@code BlobStore} are). Put {@code json} in front of every route that reads a body:
 * {@code router.post("/v1/packages").handler(json).handler(this::publish)}. It enforces the node's JSON size limit (413)
 * and makes {@code ctx.body()} available. Handlers report errors by failing the context (or by throwing, or by failing
 * a Future): with a feature's {@code dev.grove.node.problem} failure as it is, or with a {@code ProblemException} for a
 * refusal that only the HTTP side knows (a bad path parameter or header); {@code ProblemFailureHandler} answers both.
 *
 * <p>Mounting only adds routes: background work a feature needs is one of its {@link Feature#jobs()}, started once by
 * the node.
 */
@FunctionalInterface
public interface RouteModule {

    void mount(Router router, BodyHandler json);
}
