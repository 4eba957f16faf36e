package dev.grove.node.testing;

import dev.grove.node.Node;
import dev.grove.node.NodeConfig;
import dev.grove.node.feature.NodeServices;
import dev.grove.node.feature.Feature;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * A whole node for HTTP tests: loopback, a free port, two verticle instances, a fresh {@link TestDatabase} database and
 * the given data directory (blobs). Create {@code vertx} with {@code NodeMetrics.createVertx()} to get {@code /metrics}.
 *
 * <pre>{@code
 * @TempDir static Path data;
 * static Vertx vertx = NodeMetrics.createVertx();
 * static Node node;
 * @BeforeAll static void start() { node = TestNode.start(vertx, data, Features::all); }
 * @AfterAll static void stop() { TestNode.stop(node, vertx); }
 * // then: HttpClient to "http://127.0.0.1:" + node.port() + "/v1/..."
 * }</pre>
 */
public final class TestNode {

    private TestNode() {
    }

    /** The configuration {@link #start} uses. */
    public static NodeConfig config(Path dataDir) {
        return NodeConfig.defaults()
                .withPort(0)
                .withHost("127.0.0.1")
                .withDataDir(dataDir)
                .withPgUrl(TestDatabase.freshUrl())
                .withInstances(2);
    }

    /** Starts a node with {@link #config}; blocks until it listens. */
    public static Node start(Vertx vertx, Path dataDir, BiFunction<NodeConfig, NodeServices, List<Feature>> features) {
        return start(vertx, config(dataDir), features);
    }

    /** Starts a node with this configuration; blocks until it listens. */
    public static Node start(Vertx vertx, NodeConfig config, BiFunction<NodeConfig, NodeServices, List<Feature>> features) {
        return await(Node.start(vertx, config, features));
    }

    /**
     * Stops the node, then closes {@code vertx}, each awaited from the calling thread. (A future composed onto
     * {@code vertx.close()} inside Vert.x never completes: its callbacks would run on an event loop that close stopped.)
     */
    public static void stop(Node node, Vertx vertx) {
        try {
            await(node.stop());
        } finally {
            await(vertx.close());
        }
    }

    /** Waits up to a minute for a future from a test thread; rethrows its failure. */
    public static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
