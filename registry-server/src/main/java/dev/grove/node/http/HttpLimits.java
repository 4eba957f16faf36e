package dev.grove.node.http;

import java.time.Duration;
import java.util.Objects;

/**
 * What a client may hold of the node: how long a connection may stay silent, how long a request's headers may take, how
 * slowly its body may arrive, and how many bytes of request bodies the node holds in memory at once, over all requests.
 *
 * @param idleTimeout     a connection on which nothing is read or written for this long is closed
 * @param headerTimeout   a connection whose next request's headers are not complete this long after it opened (or after
 *                        its previous response) is closed: a client sending its headers a byte at a time holds nothing
 * @param bodyWindow      a request body must progress by at least {@code minBodyBytesPerSecond} per second over each
 *                        window of this length (the first one included), or it is answered 408 and its connection closed
 * @param minBodyBytesPerSecond the slowest body accepted, averaged over a window
 * @param bufferedBodyBytes the most bytes of request bodies held in memory over all requests in flight (a body counts
 *                        with its declared length from its first byte); beyond it a request is answered 503 with
 *                        {@code Retry-After} before its body is read
 */
public record HttpLimits(Duration idleTimeout, Duration headerTimeout, Duration bodyWindow, long minBodyBytesPerSecond,
                         long bufferedBodyBytes) {

    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(20);
    public static final Duration DEFAULT_BODY_WINDOW = Duration.ofSeconds(10);
    public static final long DEFAULT_MIN_BODY_BYTES_PER_SECOND = 1024;

    public HttpLimits {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(headerTimeout, "headerTimeout");
        Objects.requireNonNull(bodyWindow, "bodyWindow");
        for (Duration d : new Duration[] {idleTimeout, headerTimeout, bodyWindow}) {
            if (d.toMillis() < 1) {
                throw new IllegalArgumentException("a timeout is at least a millisecond, not " + d);
            }
        }
        if (minBodyBytesPerSecond < 1) {
            throw new IllegalArgumentException("the minimum body rate is at least 1 byte per second");
        }
        if (bufferedBodyBytes < 1) {
            throw new IllegalArgumentException("the body budget is at least 1 byte");
        }
    }

    /**
     * A minute of silence, 20 s for headers, 1 KiB/s over 10 s windows for bodies, and a quarter of the heap (at most
     * 256 MiB) for bodies in flight.
     */
    public static HttpLimits defaults() {
        long budget = Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 4);
        return new HttpLimits(DEFAULT_IDLE_TIMEOUT, DEFAULT_HEADER_TIMEOUT, DEFAULT_BODY_WINDOW,
                DEFAULT_MIN_BODY_BYTES_PER_SECOND, budget);
    }

    public HttpLimits withIdleTimeout(Duration idleTimeout) {
        return new HttpLimits(idleTimeout, headerTimeout, bodyWindow, minBodyBytesPerSecond, bufferedBodyBytes);
    }

    public HttpLimits withHeaderTimeout(Duration headerTimeout) {
        return new HttpLimits(idleTimeout, headerTimeout, bodyWindow, minBodyBytesPerSecond, bufferedBodyBytes);
    }

    public HttpLimits withBodyPace(Duration bodyWindow, long minBodyBytesPerSecond) {
        return new HttpLimits(idleTimeout, headerTimeout, bodyWindow, minBodyBytesPerSecond, bufferedBodyBytes);
    }

    public HttpLimits withBufferedBodyBytes(long bufferedBodyBytes) {
        return new HttpLimits(idleTimeout, headerTimeout, bodyWindow, minBodyBytesPerSecond, bufferedBodyBytes);
    }

    /** The fewest bytes a body must gain over one window. */
    long minBytesPerWindow() {
        return Math.max(1, minBodyBytesPerSecond * bodyWindow.toMillis() / 1000);
    }
}
