package dev.grove.node.namespace;

import dev.grove.node.feature.RouteModule;
import dev.grove.node.http.ProblemException;
import dev.grove.node.http.Representation;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;

import java.util.regex.Pattern;

/**
 * {@code GET /v1/namespaces/{namespace}}: a namespace's keyset and its history; {@code POST .../keyset}: a keyset change
 * signed by the current keyset ({@link KeysetChanges}).
 */
public final class NamespaceRoutes implements RouteModule {

    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9][a-z0-9-]{0,38}");

    private final Pool pool;
    private final KeysetChanges changes;

    public NamespaceRoutes(Pool pool, KeysetChanges changes) {
        this.pool = pool;
        this.changes = changes;
    }

    @Override
    public void mount(Router router, BodyHandler json) {
        router.get("/v1/namespaces/:namespace").handler(this::show);
        router.post("/v1/namespaces/:namespace/keyset").handler(json).handler(this::change);
    }

    private void show(RoutingContext ctx) {
        String namespace = namespace(ctx);
        NamespaceKeys.current(pool, namespace).compose(keyset -> keyset.isEmpty()
                ? Future.failedFuture(ProblemException.notFound("namespace '" + namespace + "' does not exist on this node"))
                : NamespaceKeys.history(pool, namespace).map(history -> new JsonObject()
                        .put("namespace", namespace)
                        .put("sequence", keyset.get().sequence())
                        .put("keys", NamespaceKeys.keysJson(keyset.get()))
                        .put("history", history)))
                .onSuccess(doc -> Representation.json(doc).send(ctx, Representation.REVALIDATE))
                .onFailure(ctx::fail);
    }

    private void change(RoutingContext ctx) {
        String namespace = namespace(ctx);
        byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        changes.change(namespace, body)
                .onSuccess(next -> ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                        .put("namespace", namespace)
                        .put("sequence", next.sequence())
                        .put("keys", NamespaceKeys.keysJson(next)).encode()))
                .onFailure(ctx::fail);
    }

    private static String namespace(RoutingContext ctx) {
        String namespace = ctx.pathParam("namespace");
        if (!NAMESPACE.matcher(namespace).matches()) {
            throw ProblemException.badRequest("'" + namespace + "' is not a namespace: use lowercase letters, digits and '-'");
        }
        return namespace;
    }
}
