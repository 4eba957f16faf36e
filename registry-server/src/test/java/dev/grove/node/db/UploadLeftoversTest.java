package dev.grove.node.db;

import static dev.grove.node.testing.TestNode.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.node.Features;
import dev.grove.node.Node;
import dev.grove.node.NodeConfig;
import dev.grove.node.testing.Eventually;
import dev.grove.node.testing.TestDatabase;
import dev.grove.node.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What uploads cut by a crash leave in the blob store is removed at start only when no other process of the node is
 * connected to its database, since with several processes on one store it may be another's upload in flight. "Another
 * process" here is a real second connection to the same PostgreSQL database under a node process's application name.
 */
class UploadLeftoversTest {

    @TempDir
    Path data;

    private Vertx vertx;
    private final List<Pool> pools = new ArrayList<>();
    private String url;
    private Path leftover;
    private Path blob;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        url = TestDatabase.freshUrl();
        Path shard = Files.createDirectories(data.resolve("blobs").resolve("sha256").resolve("ab"));
        leftover = Files.writeString(shard.resolve(".upload-1234.tmp"), "half an upload");
        blob = Files.writeString(shard.resolve("ab" + "0".repeat(62)), "kept");
    }

    @AfterEach
    void stop() {
        pools.forEach(p -> await(p.close()));
        await(vertx.close());
    }

    /** A connected pool that PostgreSQL lists under {@code applicationName} (one connection, kept open). */
    private Pool connectedAs(String applicationName, PgConnectOptions database) {
        Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(1))
                .connectingTo(new PgConnectOptions(database).addProperty("application_name", applicationName))
                .using(vertx).build();
        pools.add(pool);
        await(pool.query("SELECT 1").execute());
        return pool;
    }

    private NodeConfig config() {
        return TestNode.config(data).withPgUrl(url);
    }

    @Test
    void aProcessStartingAloneRemovesThem() {
        Node node = TestNode.start(vertx, config(), Features::all);
        try {
            assertThat(leftover).as("the unfinished upload").doesNotExist();
            assertThat(blob).as("a stored blob").exists();
            // and the running node counts as a process for the next one to start
            Pool probing = connectedAs("grove-node probe", PgConnectOptions.fromUri(url));
            assertThat(await(NodeProcesses.named("grove-node probe").others(probing)))
                    .as("the node's processes connected").hasSize(1).allMatch(n -> n.startsWith("grove-node "));
        } finally {
            await(node.stop());
        }
    }

    @Test
    void aProcessStartingBesideAnotherLeavesThemUntilItStartsAlone() {
        Pool other = connectedAs("grove-node another-process", PgConnectOptions.fromUri(url));
        Node node = TestNode.start(vertx, config(), Features::all);
        try {
            assertThat(leftover).as("maybe the other process's upload in flight").exists();
        } finally {
            await(node.stop());
        }
        await(other.close());
        pools.remove(other);
        // the other process is gone (its backend may take a moment to leave pg_stat_activity)
        NodeProcesses probe = NodeProcesses.named("grove-node probe");
        Pool probing = connectedAs("grove-node probe", PgConnectOptions.fromUri(url));
        Eventually.await(Duration.ofSeconds(30), () -> !await(probe.others(probing)).contains("grove-node another-process"),
                "the other process's connection is gone");
        await(probing.close());
        pools.remove(probing);

        node = TestNode.start(vertx, config(), Features::all);
        try {
            assertThat(leftover).as("the unfinished upload, once the node started alone").doesNotExist();
            assertThat(blob).exists();
        } finally {
            await(node.stop());
        }
    }

    @Test
    void othersAreTheNodesOtherProcessesOnItsOwnDatabase() {
        PgConnectOptions database = PgConnectOptions.fromUri(url);
        Pool self = connectedAs("grove-node self", database);
        connectedAs("grove-node second", database);
        connectedAs("grove-node third", database);
        connectedAs("not-grove", database);
        connectedAs("grove-node elsewhere", PgConnectOptions.fromUri(TestDatabase.freshUrl()));

        assertThat(await(NodeProcesses.named("grove-node self").others(self)))
                .containsExactly("grove-node second", "grove-node third");
    }

    @Test
    void aProcessLookingWhileAnotherRemovesWaitsAndThenFindsIt() {
        PgConnectOptions database = PgConnectOptions.fromUri(url);
        Pool first = connectedAs("grove-node first", database);
        Promise<Void> removing = Promise.promise();
        Promise<Void> began = Promise.promise();
        Future<Boolean> firstRan = NodeProcesses.named("grove-node first").whenAlone(first, () -> {
            began.complete();
            return removing.future();
        });
        await(began.future());

        // the second process connects while the first is removing: it must not look (and remove) before that ends
        Pool second = connectedAs("grove-node second", database);
        Future<Boolean> secondRan = NodeProcesses.named("grove-node second").whenAlone(second,
                () -> Future.failedFuture("the second process ran while the first was connected"));
        Pool watcher = connectedAs("the test", database);   // first's one connection is in its transaction
        Eventually.await(Duration.ofSeconds(30), () -> await(watcher.preparedQuery(
                        "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'")
                .execute(Tuple.of("grove-node second"))).iterator().next().getLong(0) == 1,
                "the second process waits for the lock");
        assertThat(secondRan.isComplete()).as("the second look, while the first removes").isFalse();

        removing.complete();
        assertThat(await(firstRan)).as("the first process ran alone").isTrue();
        assertThat(await(secondRan)).as("the second process, which finds the first").isFalse();
    }
}
