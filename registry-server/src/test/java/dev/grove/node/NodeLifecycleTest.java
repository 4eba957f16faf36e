package dev.grove.node;

import dev.grove.node.feature.NodeServices;
import dev.grove.node.feature.NodeJob;
import dev.grove.node.feature.Feature;
import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.TestNode;
import dev.grove.node.testing.TestPackage;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The boot sequence as a node's owner sees it: {@link Node#start} migrates the schema, starts each feature's jobs once
 * (however many HTTP verticles it deploys) and listens; {@link Node#stop} stops them all, and then the pool is closed.
 */
class NodeLifecycleTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final long TICK_MS = 20;

    @TempDir
    Path data;

    /** A job that counts its starts and its timer's ticks; it checks at start that the schema is already there. */
    static final class Ticker extends VerticleBase {

        final AtomicInteger starts = new AtomicInteger();
        final AtomicInteger ticks = new AtomicInteger();
        final AtomicInteger migrationsSeenAtStart = new AtomicInteger(-1);
        private final NodeServices services;

        Ticker(NodeServices services) {
            this.services = services;
        }

        @Override
        public Future<?> start() {
            starts.incrementAndGet();
            vertx.setPeriodic(TICK_MS, id -> ticks.incrementAndGet());
            return services.pool().query("SELECT count(*) FROM schema_migrations").execute()
                    .onSuccess(rows -> migrationsSeenAtStart.set(rows.iterator().next().getInteger(0)));
        }
    }

    @Test
    void jobsRunOncePerNode_integrateAndFollow_andNoneRunsAfterStop() throws Exception {
        Vertx vertx = Vertx.vertx();
        List<Ticker> tickers = new ArrayList<>();
        try {
            Node a = TestNode.start(vertx, TestNode.config(data.resolve("a")).withInstances(2), (nodeConfig, services) -> {
                Ticker ticker = new Ticker(services);
                tickers.add(ticker);
                List<Feature> all = new ArrayList<>(Features.all(nodeConfig, services));
                all.add(Feature.of((router, json) -> { }, new NodeJob("the test ticker", ticker)));
                return all;
            });
            Ticker ticker = tickers.get(0);
            assertThat(tickers).hasSize(1);
            assertThat(ticker.starts.get()).as("started once, not once per HTTP verticle").isEqualTo(1);
            assertThat(ticker.migrationsSeenAtStart.get()).as("jobs start after the migration").isPositive();
            // one deployment each: the HTTP verticles, the integrator, the release evaluator, the version documents'
            // notifications, the ticker (no peers, no witnesses: no followers, no witness poll)
            assertThat(vertx.deploymentIDs()).hasSize(5);

            // the integrator integrates a publish
            NodeHttp onA = new NodeHttp(a.port());
            assertThat(onA.publish(TestPackage.builder("life/cycle", "1.0.0").build(Ed25519PrivateKey.generate()))
                    .status()).isEqualTo(201);
            await("A's log to integrate the publish", () -> checkpointSize(onA) >= 1);
            long size = checkpointSize(onA);

            // a follower follows
            String origin = onA.get("/.well-known/grove/node").json().getString("logOrigin");
            Node b = TestNode.start(vertx, TestNode.config(data.resolve("b"))
                    .withPeers(List.of("http://127.0.0.1:" + a.port())).withFollowInterval(Duration.ofMillis(100)),
                    Features::all);
            NodeHttp onB = new NodeHttp(b.port());
            await("B to hold A's package", () -> onB.get("/v1/origins/" + URLEncoder.encode(origin, StandardCharsets.UTF_8)
                    + "/packages/life/cycle/versions/1.0.0").status() == 200);
            await("B to have followed A's log to size " + size, () -> peerNextEntry(onB) >= size);
            assertThat(vertx.deploymentIDs()).as("B adds its HTTP verticles, integrator, evaluator, notifications and followers")
                    .hasSize(10);

            TestNode.await(b.stop());
            TestNode.await(a.stop());
            assertThat(vertx.deploymentIDs()).as("every job and HTTP verticle undeployed").isEmpty();
            int ticksAtStop = ticker.ticks.get();
            assertThat(ticksAtStop).as("the job ran while the node did").isPositive();
            Thread.sleep(10 * TICK_MS);
            assertThat(ticker.ticks.get()).as("no job's timer fires after stop").isEqualTo(ticksAtStop);
            assertThat(ticker.starts.get()).isEqualTo(1);
            assertThatThrownBy(() -> TestNode.await(a.pool().query("SELECT 1").execute()))
                    .as("the pool is closed").isInstanceOf(RuntimeException.class);
            assertThatThrownBy(() -> TestNode.await(b.pool().query("SELECT 1").execute()))
                    .as("the pool is closed").isInstanceOf(RuntimeException.class);
        } finally {
            TestNode.await(vertx.close());
        }
    }

    private static long checkpointSize(NodeHttp http) {
        NodeHttp.Reply reply = http.get("/log/checkpoint");
        return reply.status() == 200 ? Long.parseLong(reply.body().split("\n")[1]) : -1;
    }

    private static long peerNextEntry(NodeHttp http) {
        for (Object o : http.get("/v1/peers").json().getJsonArray("peers")) {
            Long next = ((JsonObject) o).getLong("nextEntry");
            return next == null ? -1 : next;
        }
        return -1;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + DEADLINE.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
