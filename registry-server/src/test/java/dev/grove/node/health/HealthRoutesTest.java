package dev.grove.node.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.node.http.ProblemFailureHandler;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class HealthRoutesTest {

    @Test
    void healthzIs503ProblemWhenTheDatabaseIsDown(Vertx vertx, VertxTestContext test) throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort(); // nothing listens here once closed
        }
        Pool pool = PgBuilder.pool()
                .connectingTo(new PgConnectOptions().setHost("127.0.0.1").setPort(deadPort).setUser("x").setPassword("x")
                        .setDatabase("x"))
                .using(vertx)
                .build();
        Router router = Router.router(vertx);
        new HealthRoutes(pool, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).mount(router, BodyHandler.create());
        router.route().failureHandler(ProblemFailureHandler.create());

        vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .compose(server -> WebClient.create(vertx).get(server.actualPort(), "127.0.0.1", "/healthz").send())
                .onComplete(test.succeeding(response -> test.verify(() -> {
                    assertThat(response.statusCode()).isEqualTo(503);
                    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
                    JsonObject problem = response.bodyAsJsonObject();
                    assertThat(problem.getString("database")).isEqualTo("DOWN");
                    assertThat(problem.getString("detail")).isEqualTo("the database does not answer");
                    assertThat(problem.getString("title")).isEqualTo("Service Unavailable");
                    assertThat(response.bodyAsString()).doesNotContain("Connection refused", "127.0.0.1");
                    test.completeNow();
                })));
    }
}
