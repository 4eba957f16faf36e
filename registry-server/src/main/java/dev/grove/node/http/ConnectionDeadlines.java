package dev.grove.node.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Closes a connection that holds no request in flight for a whole {@code headerTimeout}: one whose headers do not come
 * (a client sending them a byte at a time), or a keep-alive connection waiting for a next request that does not come.
 * An idle timeout cannot catch the first: a byte now and then keeps the connection from being idle.
 *
 * <p>Each connection is looked at every half timeout, and closed when, at two looks in a row, it had no request in
 * flight and no request began in between: between half the timeout and the timeout after its last request ended (or
 * it opened). A request in flight (its response not ended) is never cut here: {@link BodyPace} watches its body.
 *
 * <p>One per HTTP server, used on its event loop only.
 */
public final class ConnectionDeadlines {

    private final Vertx vertx;
    private final long tickMillis;
    private final Map<HttpConnection, Watch> watches = new IdentityHashMap<>();

    public ConnectionDeadlines(Vertx vertx, Duration headerTimeout) {
        this.vertx = vertx;
        this.tickMillis = Math.max(1, headerTimeout.toMillis() / 2);
    }

    /** A new connection: watched until it closes. */
    public void opened(HttpConnection connection) {
        Watch watch = new Watch(connection);
        watches.put(connection, watch);
        watch.timer = vertx.setPeriodic(tickMillis, id -> watch.look());
        connection.closeHandler(v -> {
            vertx.cancelTimer(watch.timer);
            watches.remove(connection);
        });
    }

    /** A request whose headers are complete began on its connection. */
    public void began(HttpServerRequest request) {
        Watch watch = watches.get(request.connection());
        if (watch != null) {
            watch.current = request;
        }
    }

    private static final class Watch {
        private final HttpConnection connection;
        private HttpServerRequest current;
        private HttpServerRequest atLastLook;
        private boolean quietAtLastLook;
        private long timer;

        Watch(HttpConnection connection) {
            this.connection = connection;
        }

        void look() {
            boolean quiet = current == null || current.response().ended() || current.response().closed();
            if (quiet && quietAtLastLook && current == atLastLook) {
                connection.close();
                return;
            }
            quietAtLastLook = quiet;
            atLastLook = current;
        }
    }
}
