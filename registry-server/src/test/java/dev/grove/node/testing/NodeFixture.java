package dev.grove.node.testing;

import dev.grove.node.Features;
import dev.grove.node.Node;
import dev.grove.node.NodeConfig;
import dev.grove.node.health.NodeMetrics;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Several test nodes (an origin and its mirrors, typically) on one Vert.x with metrics, every feature on: {@link #close}
 * stops them newest first (a mirror before the node it follows), then closes the Vert.x; a node's failure to stop is
 * thrown after all the others are stopped. {@link #withConfigDir} points {@code grove.config.dir} (where
 * {@code grove pull} pins log keys) at a test directory until close.
 */
public final class NodeFixture implements AutoCloseable {
    public final Vertx vertx = NodeMetrics.createVertx();
    private final Deque<Node> started = new ArrayDeque<>();
    private boolean configDirSet;
    private String previousConfigDir;

    /** Sets {@code grove.config.dir} to {@code dir}; close puts back what it was. */
    public NodeFixture withConfigDir(Path dir) {
        previousConfigDir = System.getProperty("grove.config.dir");
        configDirSet = true;
        System.setProperty("grove.config.dir", dir.toString());
        return this;
    }

    /** Starts a node with {@link TestNode#config} on {@code data}; blocks until it listens. */
    public Node start(Path data) {
        return start(TestNode.config(data));
    }

    /** Starts a node with this configuration; blocks until it listens. */
    public Node start(NodeConfig config) {
        Node node = TestNode.start(vertx, config, Features::all);
        started.push(node);
        return node;
    }

    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        try {
            while (!started.isEmpty()) {
                try {
                    TestNode.await(started.pop().stop());
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }
            TestNode.await(vertx.close());
        } finally {
            if (configDirSet) {
                if (previousConfigDir == null) {
                    System.clearProperty("grove.config.dir");
                } else {
                    System.setProperty("grove.config.dir", previousConfigDir);
                }
            }
        }
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }
}
