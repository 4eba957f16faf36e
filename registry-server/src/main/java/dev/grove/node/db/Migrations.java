package dev.grove.node.db;

import dev.grove.crypto.Sha256;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Numbered SQL migrations read from the classpath and applied in order.
 *
 * <p>The scripts live in a classpath directory (the node's is {@value #NODE_DIRECTORY}) next to an {@code index.txt} that
 * lists their file names in order, one per line ({@code #} starts a comment). Nothing scans directories, so this works the
 * same from {@code target/classes} and from inside the shaded {@code grove.jar}. To add a migration: add
 * {@code V00n__what.sql} and append its name to {@code index.txt}. Never edit a script that a node may have applied: the
 * node refuses to start when an applied script's checksum changed.
 *
 * <p>{@link #apply(Pool)} holds a PostgreSQL session advisory lock while it works, so that nodes sharing a database and
 * starting at once apply each script exactly once; each script runs in its own transaction together with its row in
 * {@code schema_migrations(version, name, checksum, applied_at)}.
 */
public final class Migrations {

    /** The classpath directory of the node's own migrations. */
    public static final String NODE_DIRECTORY = "db/migration";

    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
    /** The advisory lock key: "grove-mg" as a big-endian long. */
    private static final long LOCK_KEY = 0x67726f76652d6d67L;

    private static final String CREATE_TABLE = """
            CREATE TABLE schema_migrations (
              version    integer     PRIMARY KEY,
              name       text        NOT NULL,
              checksum   text        NOT NULL,
              applied_at timestamptz NOT NULL DEFAULT now()
            )""";
    private static final String TABLE_EXISTS = "SELECT to_regclass('schema_migrations') IS NOT NULL";
    private static final String SELECT_APPLIED = "SELECT version, name, checksum FROM schema_migrations ORDER BY version";
    private static final String INSERT_APPLIED = "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)";

    private final List<Migration> migrations;

    private Migrations(List<Migration> migrations) {
        this.migrations = List.copyOf(migrations);
    }

    /** The migrations listed in {@code <directory>/index.txt} on the classpath, read on a worker thread. */
    public static Future<Migrations> load(Vertx vertx, String directory) {
        return vertx.executeBlocking(() -> load(directory), false);
    }

    /**
     * The migrations listed in {@code <directory>/index.txt} on the classpath. Blocks (reads resources).
     *
     * @throws MigrationException when the index or a listed file is missing, a name is malformed, or versions do not
     *                            strictly increase
     */
    public static Migrations load(String directory) {
        ClassLoader loader = Migrations.class.getClassLoader();
        String index = read(loader, directory + "/index.txt")
                .orElseThrow(() -> new MigrationException("no migration index " + directory + "/index.txt on the classpath"));
        List<Migration> list = new ArrayList<>();
        int previous = 0;
        for (String raw : index.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int version = Migration.versionOf(line);
            if (version <= previous) {
                throw new MigrationException(directory + "/index.txt lists " + line + " after version " + previous
                        + ": versions must strictly increase");
            }
            previous = version;
            String sql = read(loader, directory + "/" + line).orElseThrow(() -> new MigrationException(
                    directory + "/index.txt lists " + line + ", but there is no such file on the classpath"));
            list.add(new Migration(version, line, sql, Sha256.of(sql.getBytes(StandardCharsets.UTF_8)).toString()));
        }
        return new Migrations(list);
    }

    private static java.util.Optional<String> read(ClassLoader loader, String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            return in == null ? java.util.Optional.empty()
                    : java.util.Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + resource, e);
        }
    }

    /** The migrations, in order. */
    public List<Migration> list() {
        return migrations;
    }

    /**
     * Brings the database up to date.
     *
     * @return the names of the scripts applied now (empty when it was up to date); fails with {@link MigrationException}
     *         when an applied script changed or is unknown to this build, or a script fails (its transaction is rolled back)
     */
    public Future<List<String>> apply(Pool pool) {
        return pool.withConnection(conn -> conn.query("SELECT pg_advisory_lock(" + LOCK_KEY + ")").execute()
                .compose(locked -> applyLocked(conn)
                        .eventually(() -> conn.query("SELECT pg_advisory_unlock(" + LOCK_KEY + ")").execute())));
    }

    private Future<List<String>> applyLocked(SqlConnection conn) {
        return conn.query(TABLE_EXISTS).execute()
                .compose(rows -> rows.iterator().next().getBoolean(0)
                        ? Future.succeededFuture()
                        : conn.query(CREATE_TABLE).execute().mapEmpty())
                .compose(v -> conn.query(SELECT_APPLIED).execute())
                .compose(rows -> {
                    Map<Integer, Row> applied = new HashMap<>();
                    rows.forEach(row -> applied.put(row.getInteger("version"), row));
                    List<Migration> pending;
                    try {
                        pending = pending(applied);
                    } catch (MigrationException e) {
                        return Future.failedFuture(e);
                    }
                    Future<List<String>> chain = Future.succeededFuture(new ArrayList<>());
                    for (Migration m : pending) {
                        chain = chain.compose(done -> applyOne(conn, m).map(v -> {
                            done.add(m.name());
                            return done;
                        }));
                    }
                    return chain.map(List::copyOf);
                });
    }

    private List<Migration> pending(Map<Integer, Row> applied) {
        Map<Integer, Migration> known = new HashMap<>();
        migrations.forEach(m -> known.put(m.version(), m));
        for (Row row : applied.values()) {
            int version = row.getInteger("version");
            Migration m = known.get(version);
            if (m == null) {
                throw new MigrationException("the database has migration " + row.getString("name")
                        + " applied, which this build does not know: was it started by a newer version of the node?");
            }
            if (!m.checksum().equals(row.getString("checksum"))) {
                throw new MigrationException("migration " + m.name() + " was changed after it was applied to this database"
                        + " (applied " + row.getString("checksum") + ", now " + m.checksum() + "); never edit an applied"
                        + " migration: restore it and add a new V" + "nnn__*.sql instead");
            }
        }
        return migrations.stream().filter(m -> !applied.containsKey(m.version())).toList();
    }

    private static Future<Void> applyOne(SqlConnection conn, Migration m) {
        long started = System.nanoTime();
        return conn.begin().compose(tx -> conn.query(m.sql()).execute()
                .compose(v -> conn.preparedQuery(INSERT_APPLIED).execute(Tuple.of(m.version(), m.name(), m.checksum())))
                .compose(v -> tx.commit())
                .recover(e -> tx.rollback().transform(ignored -> Future.<Void>failedFuture(
                        new MigrationException("migration " + m.name() + " failed: " + e.getMessage(), e)))))
                .onSuccess(v -> LOG.info("applied migration {} ({} ms)", m.name(), (System.nanoTime() - started) / 1_000_000));
    }
}
