package dev.grove.node.db;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the node's database is down, as its requests find out: the first request that finds it unreachable logs one
 * warning, and from then on a probe ({@code SELECT 1} every {@value #PROBE_MS} ms) watches for its return, which is
 * logged in one line. Requests in between are answered 503 without a line each (and never with a stack trace). Shared by
 * every verticle of a node.
 */
public final class DatabaseOutage {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseOutage.class);
    private static final long PROBE_MS = 1000;
    /** What a client is told to wait before retrying, in seconds. */
    public static final int RETRY_AFTER_SECONDS = 5;

    private final Optional<Probe> probe;
    private final AtomicBoolean down = new AtomicBoolean();
    private volatile boolean closed;
    private volatile long downSince;

    private record Probe(Vertx vertx, Pool pool) {
    }

    private DatabaseOutage(Optional<Probe> probe) {
        this.probe = probe;
    }

    /** Watches {@code pool}: an outage is logged when it starts and when it ends. */
    public static DatabaseOutage watching(Vertx vertx, Pool pool) {
        return new DatabaseOutage(Optional.of(new Probe(vertx, pool)));
    }

    /** Classifies failures only, logging nothing (a router without a node around it, as in tests of one route). */
    public static DatabaseOutage unwatched() {
        return new DatabaseOutage(Optional.empty());
    }

    /**
     * Whether {@code failure} means the database is unavailable (the caller then answers 503); the first such failure of
     * an outage logs it and starts watching for its end.
     */
    public boolean report(Throwable failure) {
        if (!DatabaseErrors.isUnavailable(failure)) {
            return false;
        }
        if (probe.isPresent() && down.compareAndSet(false, true)) {
            downSince = System.nanoTime();
            LOG.warn("the database is unavailable ({}); routes that need it answer 503 until it is back",
                    DatabaseErrors.describe(failure));
            watch(probe.get());
        }
        return true;
    }

    /** Whether an outage is under way (since its first failure, until the probe reached the database again). */
    public boolean isDown() {
        return down.get();
    }

    /** Stops watching (the node stops). */
    public void close() {
        closed = true;
    }

    private void watch(Probe p) {
        if (closed) {
            return;
        }
        p.vertx().setTimer(PROBE_MS, id -> p.pool().query("SELECT 1").execute()
                .timeout(PROBE_MS, TimeUnit.MILLISECONDS)
                .onComplete(ar -> {
                    if (ar.failed()) {
                        watch(p);
                        return;
                    }
                    down.set(false);
                    LOG.info("the database is back after {} s", Math.round((System.nanoTime() - downSince) / 1e8) / 10.0);
                }));
    }
}
