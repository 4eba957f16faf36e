package dev.grove.node.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.node.Features;
import dev.grove.node.Node;
import dev.grove.node.health.NodeMetrics;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.TestNode;
import dev.grove.node.testing.TestPackage;
import io.vertx.core.Vertx;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How long a fresh node takes to copy an origin's log from a mirror of it, next to the same copy from the origin itself.
 * A real node A is filled with N packages (one 30-byte artifact each) by 16 concurrent clients, B mirrors A, then fresh
 * nodes C, each with its own database, copy A's log: from B's copy ({@code --follow B/v1/origins/A#KEY}) and from A
 * ({@code --follow A#KEY}), three rounds, the order alternating. Each time is from the node's start to its serving A's checkpoint of
 * the whole log (every entry checked, stored, its artifact copied, the tiles reproducing the root). Not part of the
 * normal build:
 *
 * <pre>./mvnw -B -o -pl registry-server -am test -Dtest=OutliveBench -Dgrove.bench=10000 -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * Results go to standard output (target/surefire-reports/dev.grove.node.mirror.OutliveBench-output.txt).
 */
class OutliveBench {

    private static final int CLIENTS = 16;

    @TempDir
    Path data;

    @Test
    void copyFromAMirror_nextToTheSameCopyFromTheOrigin() throws Exception {
        int n = Integer.getInteger("grove.bench", 0);
        assumeTrue(n > 0, "set -Dgrove.bench=N to run the benchmark");
        Vertx vertx = NodeMetrics.createVertx();
        List<String> lines = new ArrayList<>();
        try {
            Node a = TestNode.start(vertx, data.resolve("a"), Features::all);
            String originA = Mirrors.origin(a);
            String keyA = new NodeHttp(a.port()).get("/.well-known/grove/node").json().getString("logKey");
            long t0 = System.nanoTime();
            fill(a, n);
            long size = n + 1;
            Mirrors.await("A's checkpoint of " + size, Duration.ofMinutes(10), () -> checkpointSize(a, "/log") >= size);
            lines.add(String.format("A: %d packages published by %d clients in %.1f s", n, CLIENTS, secs(t0)));

            long t1 = System.nanoTime();
            Node b = TestNode.start(vertx, Mirrors.following(data.resolve("b"), Mirrors.url(a)), Features::all);
            await(b, originA, size);
            lines.add(String.format("B: mirrored A (%d entries) in %.1f s after its start", size, secs(t1)));

            String viaB = Mirrors.url(b) + "/v1/origins/" + URLEncoder.encode(originA, StandardCharsets.UTF_8);
            for (int round = 1; round <= 3; round++) {
                // the order alternates, so that neither source always runs on the warmer JVM
                String[] order = round % 2 == 1 ? new String[] {viaB, Mirrors.url(a)} : new String[] {Mirrors.url(a), viaB};
                for (String source : order) {
                    String tag = "c" + round + (source.equals(viaB) ? "b" : "a");
                    long start = System.nanoTime();
                    Node c = TestNode.start(vertx, Mirrors.following(data.resolve(tag), source + "#" + keyA),
                            Features::all);
                    long started = System.nanoTime();
                    await(c, originA, size);
                    double seconds = (System.nanoTime() - started) / 1e9;
                    long stored = Mirrors.count(c, "SELECT count(*) FROM package_versions WHERE origin = '"
                            + originA + "'");
                    assertThat(stored).isEqualTo(n);
                    lines.add(String.format("round %d, C from %s: %d entries in %.1f s after start (node start %.1f s):"
                                    + " %.0f entries/s; %d packages stored", round,
                            source.equals(viaB) ? "B's copy" : "A itself", size, seconds, (started - start) / 1e9,
                            size / seconds, stored));
                    TestNode.await(c.stop());
                }
            }
            TestNode.await(b.stop());
            TestNode.await(a.stop());
        } finally {
            System.out.println("=== OutliveBench (" + Runtime.getRuntime().availableProcessors() + " cores) ===");
            lines.forEach(System.out::println);
            TestNode.await(vertx.close());
        }
    }

    private static double secs(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void fill(Node a, int n) throws Exception {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        NodeHttp first = new NodeHttp(a.port());
        assertThat(first.publish(pkg(0, key)).status()).isEqualTo(201); // binds the namespace
        AtomicInteger next = new AtomicInteger(1);
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                clients.add(pool.submit(() -> {
                    NodeHttp http = new NodeHttp(a.port());
                    for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                        int status = http.publish(pkg(i, key)).status();
                        if (status != 201) {
                            throw new IllegalStateException("publish " + i + " answered " + status);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : clients) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private static TestPackage pkg(int i, Ed25519PrivateKey key) {
        return TestPackage.builder("bench/model-" + i, "1.0.0")
                .weights(("weights of model " + i).getBytes(StandardCharsets.UTF_8)).build(key);
    }

    private static long checkpointSize(Node node, String log) {
        NodeHttp.Reply cp = new NodeHttp(node.port()).get(log + "/checkpoint");
        return cp.status() == 200 ? Long.parseLong(cp.body().split("\n")[1]) : -1;
    }

    private static void await(Node node, String origin, long size) {
        String log = "/v1/origins/" + URLEncoder.encode(origin, StandardCharsets.UTF_8) + "/log";
        Mirrors.await("node " + node.port() + " to serve " + origin + " at size " + size, Duration.ofMinutes(30),
                () -> checkpointSize(node, log) == size);
    }
}
