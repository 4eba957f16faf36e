package dev.grove.node.db;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/** Tells a database that cannot be reached (an outage, which passes) from a statement that failed (a bug, or a conflict). */
public final class DatabaseErrors {

    /**
     * SQLSTATEs of a server that is going away or not taking connections: admin shutdown, crash shutdown, cannot
     * connect now (starting up, shutting down), too many connections.
     */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "53300");

    private DatabaseErrors() {
    }

    /**
     * Whether {@code failure} (or one of its causes) says the database could not be reached: no connection could be
     * made or kept (refused, timed out, closed under a query), or the server refuses work for now (class 08, shutdown,
     * starting up, too many connections).
     */
    public static boolean isUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof ClosedConnectionException || t instanceof TimeoutException) {
                return true;
            }
            if (t instanceof PgException pg && pg.getSqlState() != null
                    && (pg.getSqlState().startsWith("08") || UNAVAILABLE_STATES.contains(pg.getSqlState()))) {
                return true;
            }
        }
        return false;
    }

    /** A short description of the failure for one log line: its class and message, without a stack trace. */
    public static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : ": " + root.getMessage();
        return root.getClass().getSimpleName() + message;
    }
}
