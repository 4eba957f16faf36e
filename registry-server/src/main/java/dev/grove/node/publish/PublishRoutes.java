package dev.grove.node.publish;

import dev.grove.node.feature.RouteModule;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/** {@code POST /v1/packages}: publish a signed bundle. */
public final class PublishRoutes implements RouteModule {

    private final PackagePublisher publisher;

    public PublishRoutes(PackagePublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public void mount(Router router, BodyHandler json) {
        router.post("/v1/packages").handler(json).handler(this::publish);
    }

    private void publish(RoutingContext ctx) {
        byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        publisher.publish(body).onSuccess(outcome -> {
            String location = "/v1/packages/" + outcome.name().namespace() + "/" + outcome.name().name()
                    + "/versions/" + outcome.version();
            JsonObject answer = new JsonObject()
                    .put("ref", outcome.ref())
                    .put("digest", outcome.digest().toString())
                    .put("created", outcome.created())
                    .put("signers", new JsonArray(outcome.signers().stream().map(k -> (Object) k.hex()).toList()))
                    .put("location", location)
                    .put("log", outcome.logIndex().isPresent()
                            ? new JsonObject().put("index", outcome.logIndex().getAsLong())
                            : outcome.logPending() ? new JsonObject().put("pending", true) : null);
            if (outcome.repaired()) {
                answer.put("repaired", true);
            }
            ctx.response()
                    // 202: stored and its entry committed, but not numbered yet (the version document will say)
                    .setStatusCode(outcome.logPending() ? 202 : outcome.created() ? 201 : 200)
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Location", location)
                    .end(answer.encode());
        }).onFailure(ctx::fail);
    }
}
