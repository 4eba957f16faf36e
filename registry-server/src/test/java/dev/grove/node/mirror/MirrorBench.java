package dev.grove.node.mirror;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.node.Features;
import dev.grove.node.Node;
import dev.grove.node.health.NodeMetrics;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.TestNode;
import dev.grove.node.testing.TestPackage;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Manual benchmark (not part of the test suite): mirror catch-up speed and publish-to-mirror lag.
 *
 * <pre>
 * ./mvnw -B -o -q -pl registry-server -am test-compile
 * java -cp "$(cat cp.txt):registry-server/target/classes:registry-server/target/test-classes" \
 *     dev.grove.node.mirror.MirrorBench [packages=10000] [lagSamples=20]
 * </pre>
 *
 * Catch-up: a node starts following a static log of N small packages (one namespace binding, then one package entry
 * each, one 30-byte artifact each) served by {@link LyingNode} honestly, and copies it all; the time is from the node's
 * start to its {@code next_entry} reaching the tree size. Lag: node B follows node A (real nodes, A's integrator every
 * 200 ms, B checking every {@code interval}); each sample publishes one package on A and polls B every 5 ms until it
 * serves it.
 */
public final class MirrorBench {

    public static void main(String[] args) throws Exception {
        int packages = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int samples = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Vertx vertx = NodeMetrics.createVertx();
        try {
            catchUp(vertx, packages);
            lag(vertx, samples, Duration.ofSeconds(1));
            lag(vertx, samples, Duration.ofMillis(100));
        } finally {
            TestNode.await(vertx.close());
            System.exit(0);
        }
    }

    static void catchUp(Vertx vertx, int packages) throws Exception {
        LyingNode origin = new LyingNode("bench");
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        for (int i = 0; i < packages; i++) {
            origin.publish(TestPackage.builder("bench/model-" + i, "1.0.0")
                    .weights(("weights of model " + i).getBytes(StandardCharsets.UTF_8)).build(key), key);
        }
        long size = origin.size;
        origin.log.checkpoint(size); // warm the origin's hash cache
        Path data = Files.createTempDirectory("mirror-bench");
        long t0 = System.nanoTime();
        Node b = TestNode.start(vertx, Mirrors.following(data, origin.url()), Features::all);
        long started = System.nanoTime();
        Mirrors.await("catch-up", Duration.ofMinutes(30), () -> Mirrors.nextEntry(b, origin.url()) == size);
        long done = System.nanoTime();
        double seconds = (done - started) / 1e9;
        long stored = Mirrors.count(b, "SELECT count(*) FROM package_versions WHERE origin = '" + origin.origin() + "'");
        System.out.printf("catch-up: %d entries (%d packages) in %.1f s after start (node start %.1f s): %.0f entries/s, "
                        + "%.0f packages/s; %d stored%n", size, packages, seconds, (started - t0) / 1e9, size / seconds,
                packages / seconds, stored);
        TestNode.await(b.stop());
        origin.close();
    }

    static void lag(Vertx vertx, int samples, Duration interval) throws Exception {
        Node a = TestNode.start(vertx, Files.createTempDirectory("bench-a"), Features::all);
        Node b = TestNode.start(vertx, Mirrors.following(Files.createTempDirectory("bench-b"), Mirrors.url(a))
                .withFollowInterval(interval), Features::all);
        String originA = Mirrors.origin(a);
        NodeHttp onA = new NodeHttp(a.port());
        NodeHttp onB = new NodeHttp(b.port());
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        List<Long> lags = new ArrayList<>();
        for (int i = -2; i < samples; i++) { // two warm-up publishes
            TestPackage pkg = TestPackage.builder("lag/model-" + (i + 2), "1.0.0")
                    .weights(("lag weights " + i).getBytes(StandardCharsets.UTF_8)).build(key);
            String path = Mirrors.versionPath(originA, pkg.name() + "@1.0.0");
            if (onA.publish(pkg).status() != 201) {
                throw new IllegalStateException("publish failed");
            }
            long t0 = System.nanoTime();
            while (onB.get(path).status() != 200) {
                Thread.sleep(5);
            }
            if (i >= 0) {
                lags.add((System.nanoTime() - t0) / 1_000_000);
            }
        }
        Collections.sort(lags);
        System.out.printf("lag (publish on A answered to version served by B), follow interval %d ms, %d samples: median %d ms,"
                        + " min %d ms, max %d ms%n", interval.toMillis(), samples, lags.get(lags.size() / 2), lags.get(0),
                lags.get(lags.size() - 1));
        TestNode.await(b.stop());
        TestNode.await(a.stop());
    }
}
