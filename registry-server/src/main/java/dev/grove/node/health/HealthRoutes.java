package dev.grove.node.health;

import dev.grove.node.feature.RouteModule;
import dev.grove.node.db.DatabaseOutage;
import dev.grove.node.http.ProblemException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /healthz}: 200 {@code {"status":"UP","database":"UP"}} when the database answers {@code SELECT 1} within
 * two seconds, else 503 problem+json with {@code "database":"DOWN"}. {@code GET /metrics}: Prometheus text exposition.
 */
public final class HealthRoutes implements RouteModule {

    private static final long DATABASE_TIMEOUT_MS = 2000;

    private final Pool pool;
    private final PrometheusMeterRegistry registry;

    public HealthRoutes(Pool pool, PrometheusMeterRegistry registry) {
        this.pool = pool;
        this.registry = registry;
    }

    @Override
    public void mount(Router router, BodyHandler json) {
        router.get("/healthz").handler(this::health);
        router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    }

    private void health(RoutingContext ctx) {
        pool.query("SELECT 1").execute()
                .timeout(DATABASE_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .onSuccess(rows -> ctx.response()
                        .putHeader("Content-Type", "application/json")
                        .putHeader("Cache-Control", "no-store")
                        .end(new JsonObject().put("status", "UP").put("database", "UP").toBuffer()))
                .onFailure(e -> ctx.fail(ProblemException.of(503, "the database does not answer")
                        .with("database", "DOWN").withHeader("Retry-After", String.valueOf(
                                DatabaseOutage.RETRY_AFTER_SECONDS)).withCause(e)));
    }
}
