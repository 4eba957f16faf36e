package dev.grove.node.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.node.Features;
import dev.grove.node.Node;
import dev.grove.node.health.NodeMetrics;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.TestNode;
import dev.grove.node.testing.TestPackage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mirror verifies what it copies off the event loops (issue 14): B follows A (real nodes, loopback) through a first
 * copy of A's log and then a catch-up that needs a consistency proof; every check of what A served (checkpoint
 * signatures, entry bundles against the tiles and the signed root, entry signatures, consistency) is counted by the
 * kind of thread that ran it in {@code grove_mirror_verifications_total{thread}}, and none ran on an event loop (a
 * count that does tell the two apart: a check run on an event loop is counted as one).
 */
class VerificationThreadsTest {

    static final Duration DEADLINE = Duration.ofSeconds(60);
    static final Pattern COUNT = Pattern.compile(
            "^grove_mirror_verifications_total\\{thread=\"([a-z-]+)\"[^}]*} ([0-9.E+-]+)$", Pattern.MULTILINE);

    @TempDir
    static Path dataA;
    @TempDir
    static Path dataB;

    static Vertx vertx;
    static Node a;
    static Node b;
    static final Ed25519PrivateKey alice = Ed25519PrivateKey.generate();

    @BeforeAll
    static void start() {
        vertx = NodeMetrics.createVertx();
        a = TestNode.start(vertx, dataA, Features::all);
        b = TestNode.start(vertx, Mirrors.following(dataB, Mirrors.url(a)), Features::all);
    }

    @AfterAll
    static void stop() {
        for (Node n : new Node[] {b, a}) {
            if (n != null) {
                TestNode.await(n.stop());
            }
        }
        TestNode.await(vertx.close());
    }

    @Test
    void noVerificationOfAMirroredLogRunsOnAnEventLoop() {
        publish(0, 5);
        // the namespace binding and 5 packages
        Mirrors.await("B to accept A's first 6 entries", DEADLINE, () -> Mirrors.nextEntry(b, Mirrors.url(a)) >= 6);
        double first = count("worker").orElse(0);
        assertThat(first).as("checks run on workers after the first copy").isPositive();

        publish(5, 10);
        Mirrors.await("B to accept A's next 5 entries", DEADLINE, () -> Mirrors.nextEntry(b, Mirrors.url(a)) >= 11);
        assertThat(count("worker").orElse(0)).as("checks of the catch-up run on workers too").isGreaterThan(first);
        assertThat(count("event-loop")).as("checks run on an event loop: " + metrics()).isEmpty();
    }

    @Test
    void theCountTellsAnEventLoopFromAWorker() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MirrorMetrics metrics = new MirrorMetrics(registry);
        Context context = vertx.getOrCreateContext();
        Promise<Void> onLoop = Promise.promise();
        context.runOnContext(v -> {
            metrics.verification();
            onLoop.complete();
        });
        TestNode.await(onLoop.future());
        TestNode.await(context.executeBlocking(() -> {
            metrics.verification();
            metrics.verification();
            return null;
        }, false));
        assertThat(registry.get("grove.mirror.verifications").tag("thread", "event-loop").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("grove.mirror.verifications").tag("thread", "worker").counter().count()).isEqualTo(2);
    }

    private static void publish(int from, int to) {
        for (int i = from; i < to; i++) {
            TestPackage pkg = TestPackage.builder("loops/model-" + i, "1.0.0")
                    .weights(("weights " + i).getBytes(StandardCharsets.UTF_8)).build(alice);
            assertThat(new NodeHttp(a.port()).publish(pkg).status()).isEqualTo(201);
        }
    }

    private static String metrics() {
        return new NodeHttp(b.port()).get("/metrics").body();
    }

    /** The counter for this thread kind, when it was registered (an event-loop count never is, when all is well). */
    private static OptionalDouble count(String thread) {
        Matcher m = COUNT.matcher(metrics());
        while (m.find()) {
            if (m.group(1).equals(thread)) {
                return OptionalDouble.of(Double.parseDouble(m.group(2)));
            }
        }
        return OptionalDouble.empty();
    }
}
