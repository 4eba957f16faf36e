package dev.grove.node.testing;

import dev.grove.node.db.EmbeddedDatabase;
import io.vertx.pgclient.PgConnectOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * One embedded PostgreSQL per test JVM (it takes about two seconds to start), and a fresh, empty database for each caller.
 *
 * <pre>{@code
 * // a pool on a fresh database (e.g. in @BeforeAll):
 * PgConnectOptions db = TestDatabase.fresh();
 * Pool pool = PgBuilder.pool().connectingTo(db).using(vertx).build();
 *
 * // a whole node on a fresh database (see also TestNode):
 * NodeConfig config = NodeConfig.defaults().withPort(0).withPgUrl(TestDatabase.freshUrl()) ...
 * }</pre>
 *
 * The server is started on first use, tuned for speed (no fsync: tests only), lives in {@code target/test-postgres-*} and
 * is stopped and deleted when the JVM exits. Databases are named {@code test_<n>}; nothing is shared between callers, so
 * test classes stay independent without cleaning up. Blocking: call from a test thread, never from an event loop.
 */
public final class TestDatabase {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedDatabase server;

    private TestDatabase() {
    }

    /** Connect options for a new empty database. */
    public static PgConnectOptions fresh() {
        EmbeddedDatabase db = server();
        String name = "test_" + COUNTER.incrementAndGet();
        db.createDatabaseIfMissing(name);
        return db.connectOptions(name);
    }

    /** A {@code postgresql://} URL (for {@code NodeConfig.withPgUrl}) of a new empty database. */
    public static String freshUrl() {
        PgConnectOptions o = fresh();
        return "postgresql://" + o.getUser() + ":" + o.getPassword() + "@" + o.getHost() + ":" + o.getPort() + "/"
                + o.getDatabase();
    }

    /** The shared server, started on first use. */
    public static synchronized EmbeddedDatabase server() {
        if (server == null) {
            try {
                Path base = Files.isDirectory(Path.of("target")) ? Path.of("target") : Path.of(System.getProperty("java.io.tmpdir"));
                Path dir = Files.createTempDirectory(base.toAbsolutePath(), "test-postgres-");
                EmbeddedDatabase started = EmbeddedDatabase.startForTests(dir.resolve("pg"));
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    started.close();
                    deleteRecursively(dir);
                }, "test-postgres-stop"));
                server = started;
            } catch (IOException e) {
                throw new UncheckedIOException("could not start the test PostgreSQL", e);
            }
        }
        return server;
    }

    /** Deletes a directory tree, quietly (test clean-up). */
    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
