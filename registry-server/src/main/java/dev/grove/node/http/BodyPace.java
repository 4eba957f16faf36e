package dev.grove.node.http;

import io.vertx.core.Vertx;
import java.util.function.LongSupplier;

/**
 * Watches a request body arrive: over each window of {@link HttpLimits#bodyWindow()} it must gain at least the minimum
 * rate's worth of bytes, or the request is stalled (a client that sends a few bytes and waits would otherwise hold its
 * connection, its buffer or its open file forever).
 */
public final class BodyPace {

    private final Vertx vertx;
    private final long timer;

    private BodyPace(Vertx vertx, long timer) {
        this.vertx = vertx;
        this.timer = timer;
    }

    /** Starts watching {@code received} (bytes so far); {@code onStall} runs once, on the event loop, if it lags. */
    public static BodyPace watch(Vertx vertx, HttpLimits limits, LongSupplier received, Runnable onStall) {
        long[] last = {received.getAsLong()};
        long need = limits.minBytesPerWindow();
        long timer = vertx.setPeriodic(limits.bodyWindow().toMillis(), id -> {
            long now = received.getAsLong();
            if (now - last[0] < need) {
                vertx.cancelTimer(id);
                onStall.run();
            }
            last[0] = now;
        });
        return new BodyPace(vertx, timer);
    }

    /** Stops watching (the body ended, or the request failed). */
    public void stop() {
        vertx.cancelTimer(timer);
    }

    /** 408, answered at once and followed by closing the connection (a stalled client is not waited for). */
    public static ProblemException stalled(HttpLimits limits) {
        return ProblemException.of(408, "the request body arrived slower than " + limits.minBodyBytesPerSecond()
                + " bytes per second over " + limits.bodyWindow().toSeconds() + " s; the connection is closed");
    }
}
