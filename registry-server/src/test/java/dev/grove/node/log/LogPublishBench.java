package dev.grove.node.log;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.node.feature.Feature;
import dev.grove.node.Features;
import dev.grove.node.Node;
import dev.grove.node.NodeConfig;
import dev.grove.node.feature.NodeServices;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.TestNode;
import dev.grove.node.testing.TestPackage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What the log costs a publish, measured in one run: N signed bundles published over loopback HTTP by 16 concurrent
 * clients to a node that appends each entry in the publish transaction, and to the same build with the append replaced by
 * a no-op (the integrator still runs on both); then the delay from a publish's response to a served checkpoint covering
 * its entry. Not part of the normal build:
 *
 * <pre>./mvnw -B -o -pl registry-server -am test -Dtest=LogPublishBench -Dgrove.bench=2000 -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * Results go to standard output (target/surefire-reports/dev.grove.node.log.LogPublishBench-output.txt).
 */
class LogPublishBench {

    private static final int CLIENTS = 16;
    private static final int NAMESPACES = 16;

    @TempDir
    Path data;

    @Test
    void publishesPerSecondWithAndWithoutTheLog() throws Exception {
        int n = Integer.getInteger("grove.bench", 0);
        assumeTrue(n > 0, "set -Dgrove.bench=N to run the benchmark");
        Vertx vertx = Vertx.vertx();
        try {
            BiFunction<NodeConfig, NodeServices, List<Feature>> withLog = Features::all;
            AtomicLong fake = new AtomicLong();
            BiFunction<NodeConfig, NodeServices, List<Feature>> withoutLog = (nodeConfig, services) -> Features.all(
                    nodeConfig, services, NodeLog.open(services).withAppender(new LogAppender() {
                        @Override
                        public Future<LogEntryId> append(io.vertx.sqlclient.SqlConnection tx, byte[] entry) {
                            return Future.succeededFuture(new LogEntryId(fake.decrementAndGet()));
                        }

                        @Override
                        public Future<java.util.OptionalLong> indexOf(LogEntryId entry) {
                            return Future.succeededFuture(java.util.OptionalLong.of(-entry.value()));
                        }
                    }));
            List<String> lines = new ArrayList<>();
            for (int round = 1; round <= 3; round++) {   // round 1 warms the JIT up
                for (boolean logged : new boolean[] {false, true}) {
                    run(vertx, logged ? withLog : withoutLog, n, round, logged, lines);
                }
            }
            System.out.println("=== LogPublishBench (" + Runtime.getRuntime().availableProcessors() + " cores) ===");
            lines.forEach(System.out::println);
        } finally {
            TestNode.await(vertx.close());
        }
    }

    private void run(Vertx vertx, BiFunction<NodeConfig, NodeServices, List<Feature>> features, int n, int round, boolean logged,
                     List<String> lines) throws Exception {
        String tag = "r" + round + (logged ? "l" : "n");
        Node node = TestNode.start(vertx, TestNode.config(data.resolve(tag)).withInstances(
                Math.max(2, Runtime.getRuntime().availableProcessors())), features);
        try {
            NodeHttp http = new NodeHttp(node.port());
            Ed25519PrivateKey key = Ed25519PrivateKey.generate();
            byte[] weights = "shared weights".getBytes();
            http.putBlob(weights);
            for (int i = 0; i < NAMESPACES; i++) {   // bind the namespaces, untimed
                assertThat(http.post("/v1/packages", TestPackage.builder("b" + i + "/warm", "1.0.0").weights(weights)
                        .build(key).bundleJson()).status()).isEqualTo(201);
            }
            List<String> bundles = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                bundles.add(TestPackage.builder("b" + (i % NAMESPACES) + "/m" + i, "1.0.0").weights(weights).build(key)
                        .bundleJson());
            }
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            long start = System.nanoTime();
            try {
                List<java.util.concurrent.Future<Integer>> statuses = new ArrayList<>();
                for (String bundle : bundles) {
                    statuses.add(clients.submit(() -> http.post("/v1/packages", bundle).status()));
                }
                for (var s : statuses) {
                    assertThat(s.get()).isEqualTo(201);
                }
            } finally {
                clients.shutdown();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            lines.add(String.format("round %d, %-16s %5d publishes, %2d clients: %7.1f publishes/s", round,
                    logged ? "log on:" : "log append off:", n, CLIENTS, n / seconds));
            if (logged) {
                lines.add(latency(http, new LogFetch(node.port()), key, weights, tag));
            }
        } finally {
            TestNode.await(node.stop());
        }
    }

    /** Publish one version at a time; time from its response until /log/checkpoint covers its entry (polled every 2 ms). */
    private static String latency(NodeHttp http, LogFetch log, Ed25519PrivateKey key, byte[] weights, String tag)
            throws Exception {
        int samples = 40;
        double[] millis = new double[samples];
        for (int i = 0; i < samples; i++) {
            var reply = http.post("/v1/packages", TestPackage.builder("b0/lat-" + tag + "-" + i, "1.0.0").weights(weights)
                    .build(key).bundleJson());
            long index = reply.json().getJsonObject("log").getLong("index");
            long t0 = System.nanoTime();
            while (true) {
                String note = log.get("/log/checkpoint").text();
                if (Long.parseLong(note.split("\n")[1]) > index) {
                    break;
                }
                Thread.sleep(2);
            }
            millis[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(millis);
        return String.format("           publish -> checkpoint covering it (%d samples, one at a time): p50 %.0f ms, "
                + "p90 %.0f ms, max %.0f ms", samples, millis[samples / 2], millis[samples * 9 / 10], millis[samples - 1]);
    }
}
