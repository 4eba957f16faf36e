package dev.grove.node.db;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.node.Features;
import dev.grove.node.Node;
import dev.grove.node.NodeConfig;
import dev.grove.node.http.ProblemFailureHandler;
import dev.grove.node.log.Integrator;
import dev.grove.node.testing.Eventually;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.TcpProxy;
import dev.grove.node.testing.TestDatabase;
import dev.grove.node.testing.TestNode;
import dev.grove.node.testing.TestPackage;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A node loses its database for real (its pool reaches PostgreSQL through a TCP proxy, which the test cuts: connections
 * refused, queries in flight dropped) and gets it back. While it is gone, every route that needs it answers 503 with
 * {@code Retry-After} (never 500), the routes that do not still answer, and the node says so in one warning, not a
 * stack trace per request; the log integrator backs off and says so once; the return is one line.
 */
class DatabaseOutageTest {

    @TempDir
    static Path data;
    static Vertx vertx;
    static Node node;
    static NodeHttp http;
    static TcpProxy proxy;
    static TestPackage published;
    static final Ed25519PrivateKey KEY = Ed25519PrivateKey.generate();
    static final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() {
        PgConnectOptions db = TestDatabase.fresh();
        proxy = TcpProxy.to(db.getHost(), db.getPort());
        NodeConfig config = TestNode.config(data).withPgUrl("postgresql://" + db.getUser() + ":" + db.getPassword()
                + "@127.0.0.1:" + proxy.port() + "/" + db.getDatabase());
        vertx = Vertx.vertx();
        node = TestNode.start(vertx, config, Features::all);
        http = new NodeHttp(node.port());
        published = TestPackage.builder("outage/model", "1.0.0").build(KEY);
        assertThat(http.publish(published).status()).isEqualTo(201);
        logged.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logged);
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logged);
        proxy.restore();
        TestNode.stop(node, vertx);
        proxy.close();
    }

    static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
                .timeout(Duration.ofSeconds(30));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static List<ILoggingEvent> events(Class<?> logger, Level atLeast) {
        synchronized (logged) {
            return new ArrayList<>(logged.list).stream()
                    .filter(e -> e.getLoggerName().equals(logger.getName()) && e.getLevel().isGreaterOrEqual(atLeast))
                    .toList();
        }
    }

    static void eventually(String what, BooleanSupplier condition) {
        Eventually.await(Eventually.PATIENCE, condition::getAsBoolean, what);
    }

    @Test
    void whileTheDatabaseIsGoneItsRoutesAnswer503_andTheNodeSaysSoOnceEachWay() throws Exception {
        TestPackage next = TestPackage.builder("outage/model", "1.0.1").build(KEY);
        http.putBlob(next.weights());
        List<String> reads = List.of("/v1/search?q=model", "/v1/packages/outage/model",
                "/v1/packages/outage/model/versions/1.0.0", "/v1/packages/outage/model/versions/latest",
                "/v1/digests/" + published.digest(), "/v1/namespaces/outage", "/v1/reports/" + published.digest(),
                "/v1/lineage/" + published.digest(), "/log/checkpoint", "/v1/log/inclusion?index=0",
                "/v1/packages/outage/model/versions/1.0.0/release", "/v1/peers");
        logged.list.clear();

        proxy.cut();
        int answered = 0;
        for (int round = 0; round < 3; round++) {
            for (String path : reads) {
                assertOutage("GET " + path, send("GET", path, null));
                answered++;
            }
            assertOutage("publish", send("POST", "/v1/packages", next.bundleJson()));
            assertThat(send("GET", "/healthz", null).statusCode()).isEqualTo(503);
            HttpResponse<String> blob = send("GET", "/v1/blobs/" + dev.grove.crypto.Sha256.of(published.weights()), null);
            assertThat(blob.statusCode()).as("blobs are not in the database").isEqualTo(200);
            Thread.sleep(300);
        }
        assertThat(answered).isEqualTo(3 * reads.size());

        assertThat(events(DatabaseOutage.class, Level.WARN)).as("one warning when it goes").hasSize(1);
        assertThat(events(DatabaseOutage.class, Level.WARN).get(0).getFormattedMessage())
                .contains("the database is unavailable");
        assertThat(events(ProblemFailureHandler.class, Level.WARN)).as("no line per request").isEmpty();
        eventually("the integrator notices", () -> !events(Integrator.class, Level.WARN).isEmpty());
        assertThat(events(Integrator.class, Level.WARN)).as("the integrator backs off and says so once").hasSize(1);
        synchronized (logged) {
            assertThat(logged.list).as("no stack trace").allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());
            assertThat(logged.list).filteredOn(e -> e.getLevel() == Level.ERROR).isEmpty();
        }

        proxy.restore();
        eventually("search answers again", () -> http.get("/v1/search?q=model").status() == 200);
        eventually("the return is logged", () -> !events(DatabaseOutage.class, Level.INFO).stream()
                .filter(e -> e.getLevel() == Level.INFO).toList().isEmpty());
        assertThat(events(DatabaseOutage.class, Level.INFO).stream().filter(e -> e.getLevel() == Level.INFO))
                .singleElement().satisfies(e -> assertThat(e.getFormattedMessage()).contains("the database is back"));
        assertThat(http.publish(next).status()).as("writes work again").isEqualTo(201);
        eventually("the integrator resumes", () -> events(Integrator.class, Level.INFO).stream()
                .anyMatch(e -> e.getFormattedMessage().contains("resumed")));
        assertThat(http.get("/healthz").status()).isEqualTo(200);
    }

    static void assertOutage(String what, HttpResponse<String> r) {
        assertThat(r.statusCode()).as(what + ": " + r.body()).isEqualTo(503);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).as(what).startsWith("application/problem+json");
        assertThat(r.headers().firstValue("Retry-After")).as(what).contains("5");
        assertThat(new JsonObject(r.body()).getString("detail")).as(what).contains("database");
    }
}
