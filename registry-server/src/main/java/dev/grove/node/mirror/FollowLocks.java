package dev.grove.node.mirror;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which followed logs this process follows, when several processes of one node share a database: one PostgreSQL
 * session advisory lock per log ({@code pg_try_advisory_lock}, keyed on {@link #key(String)} of the log's name), all
 * held on one connection of their own, named {@value #APPLICATION_NAME} in {@code pg_stat_activity}. A process follows
 * a log only while it holds the log's lock; when it dies its connection closes, PostgreSQL releases its locks, and
 * another process takes them at its next try. When this process loses its connection (closed, or silent beyond
 * {@link #HEARTBEAT}), it holds nothing until a try on a new connection takes the lock again.
 *
 * <p>Used from the mirror verticle's event loop; {@link #holds} may be asked from any thread.
 */
final class FollowLocks {

    static final String APPLICATION_NAME = "grove-follow-locks";
    /** How often the lock connection is asked whether it still answers. */
    static final Duration HEARTBEAT = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(FollowLocks.class);
    private static final String TRY_LOCK = "SELECT pg_try_advisory_lock($1)";

    private final Vertx vertx;
    private final PgConnectOptions options;
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private Future<PgConnection> connection;
    private long heartbeat = -1;
    private boolean closed;

    FollowLocks(Vertx vertx, PgConnectOptions database) {
        this.vertx = vertx;
        this.options = new PgConnectOptions(database).addProperty("application_name", APPLICATION_NAME);
    }

    /**
     * The lock's key for a followed log named {@code name} (its origin, or its URL while its origin is not configured):
     * the first 8 bytes of SHA-256 over a prefix and the name, the same in every process and release.
     */
    static long key(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("grove follow lock\n" + name).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Whether this process holds the lock of the log {@code name} now. */
    boolean holds(String name) {
        return held.contains(name);
    }

    /**
     * Holds the lock of the log {@code name}: true when this process held it already or took it now, false when another
     * process holds it or the database cannot be reached (then the next call tries again, on a new connection). Never
     * fails. Call it for one name at a time.
     */
    Future<Boolean> acquire(String name) {
        if (held.contains(name)) {
            return Future.succeededFuture(true);
        }
        if (closed) {
            return Future.succeededFuture(false);
        }
        Future<PgConnection> open = connection();
        return open.compose(c -> c.preparedQuery(TRY_LOCK).execute(Tuple.of(key(name))))
                .map(rows -> {
                    boolean taken = rows.iterator().next().getBoolean(0);
                    // taken on a connection lost meanwhile: that session's locks are gone with it
                    if (taken && open == connection && !closed) {
                        held.add(name);
                        return true;
                    }
                    return false;
                })
                .otherwise(e -> {
                    LOG.debug("could not try the follow lock of {}: {}", name, e.toString());
                    return false;
                });
    }

    /** Releases every lock (closing the connection); nothing is taken afterwards. */
    Future<Void> close() {
        closed = true;
        held.clear();
        vertx.cancelTimer(heartbeat);
        Future<PgConnection> open = connection;
        connection = null;
        return open == null ? Future.succeededFuture()
                : open.compose(PgConnection::close).otherwiseEmpty().mapEmpty();
    }

    private Future<PgConnection> connection() {
        if (connection == null) {
            Future<PgConnection> opening = PgConnection.connect(vertx, options);
            connection = opening;
            opening.onSuccess(c -> c.closeHandler(v -> lost(opening, "closed")))
                    .onFailure(e -> {
                        if (connection == opening) {
                            connection = null;
                        }
                    });
            if (heartbeat < 0) {
                heartbeat = vertx.setPeriodic(HEARTBEAT.toMillis(), id -> check());
            }
        }
        return connection;
    }

    private void lost(Future<PgConnection> which, String how) {
        if (which != connection) {
            return;
        }
        connection = null;
        if (!held.isEmpty()) {
            LOG.warn("the connection holding the follow locks {}; this process stops following {} until it takes "
                    + "their locks again", how, held);
        }
        held.clear();
    }

    /** A connection that does not answer is closed: locks it may still hold are released with it on the server. */
    private void check() {
        Future<PgConnection> open = connection;
        if (open == null || !open.succeeded()) {
            return;
        }
        open.result().query("SELECT 1").execute()
                .timeout(HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS)
                .onFailure(e -> {
                    lost(open, "does not answer");
                    open.result().close();
                });
    }
}
