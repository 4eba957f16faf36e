package dev.grove.node.db;

import io.vertx.core.Future;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The processes of one node that are connected to its database, told apart by the {@code application_name} each gives
 * its connections ({@code grove-node <random id>}, see {@link #tag}), as PostgreSQL lists them in
 * {@code pg_stat_activity} for the node's database. A process counts while it holds a connection; the node's pool keeps
 * its connections open, so a running process always holds one.
 *
 * <p>Used for what a process may do only when it is the node's one process: removing the leftovers of uploads cut by a
 * crash, which in a node of several processes may be another process's upload in flight.
 */
public final class NodeProcesses {

    /** The {@code application_name} prefix of a node process's connections. */
    static final String PREFIX = "grove-node ";

    /** The advisory lock key of {@link #whenAlone}: "grove-al" as a big-endian long. */
    static final long ALONE_LOCK = 0x67726f76652d616cL;

    private static final String LOCK = "SELECT pg_advisory_xact_lock(" + ALONE_LOCK + ")";
    private static final String OTHERS = """
            SELECT DISTINCT application_name FROM pg_stat_activity
            WHERE datname = current_database() AND starts_with(application_name, $1) AND application_name <> $2
            ORDER BY application_name""";

    private final String self;

    private NodeProcesses(String self) {
        this.self = self;
    }

    /** This process, with a new random id. */
    public static NodeProcesses create() {
        return named(PREFIX + UUID.randomUUID());
    }

    /** A process known by this {@code application_name} (tests: another process's connection). */
    static NodeProcesses named(String applicationName) {
        if (!applicationName.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a node process's application name: '" + applicationName + "'");
        }
        return new NodeProcesses(applicationName);
    }

    /** This process's {@code application_name}. */
    public String applicationName() {
        return self;
    }

    /** {@code options} with this process's {@code application_name}: give it to every connection the process opens. */
    public PgConnectOptions tag(PgConnectOptions options) {
        return Objects.requireNonNull(options, "options").addProperty("application_name", self);
    }

    /** The {@code application_name}s of the node's other processes connected now. */
    public Future<List<String>> others(Pool pool) {
        return pool.preparedQuery(OTHERS).execute(Tuple.of(PREFIX, self)).map(rows -> {
            List<String> names = new ArrayList<>();
            for (Row row : rows) {
                names.add(row.getString(0));
            }
            return names;
        });
    }

    /**
     * Runs {@code work} when no other process of the node is connected, and says whether it ran. The look and the work
     * happen under an advisory lock, so a process starting meanwhile looks only once the work is done (and then finds
     * this one); a process that dies mid-work releases the lock with its connection.
     */
    public Future<Boolean> whenAlone(Pool pool, Supplier<Future<?>> work) {
        return pool.withTransaction(conn -> conn.query(LOCK).execute()
                .compose(locked -> conn.preparedQuery(OTHERS).execute(Tuple.of(PREFIX, self)))
                .compose(others -> others.size() > 0
                        ? Future.succeededFuture(false)
                        : work.get().map(done -> true)));
    }
}
