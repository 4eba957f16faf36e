package dev.grove.node.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of request bodies the node holds in memory, over all requests in flight and all event loops, against
 * {@link HttpLimits#bufferedBodyBytes()}. A request reserves its declared length before its first byte is read (or its
 * bytes as they arrive, when it declares none) and gives it back when its response ends or its connection closes;
 * beyond the budget it is answered 503 with {@code Retry-After}, so slow or stalled bodies cannot fill the heap.
 *
 * <p>The node installs its budget on every request ({@link #installer()}); {@link #of(RoutingContext)} finds it.
 */
public final class BodyBudget {

    private static final String KEY = BodyBudget.class.getName();
    /** For a router without a node around it (tests of one route): the default limits, an unlimited budget. */
    private static final BodyBudget UNLIMITED = new BodyBudget(HttpLimits.defaults().withBufferedBodyBytes(Long.MAX_VALUE));
    static final int RETRY_AFTER_SECONDS = 2;

    private final HttpLimits limits;
    private final AtomicLong used = new AtomicLong();

    private BodyBudget(HttpLimits limits) {
        this.limits = limits;
    }

    public static BodyBudget of(HttpLimits limits) {
        return new BodyBudget(limits);
    }

    /** A handler that makes this budget the one of every request it sees. */
    public Handler<RoutingContext> installer() {
        return ctx -> {
            ctx.put(KEY, this);
            ctx.next();
        };
    }

    /** The budget of the node that routes {@code ctx}. */
    public static BodyBudget of(RoutingContext ctx) {
        BodyBudget budget = ctx.get(KEY);
        return budget == null ? UNLIMITED : budget;
    }

    public HttpLimits limits() {
        return limits;
    }

    /** The bytes reserved now, over all requests. */
    public long inUse() {
        return used.get();
    }

    /** A reservation for one request, given back when its response ends or its connection closes. */
    public Reservation open(RoutingContext ctx) {
        Reservation reservation = new Reservation();
        ctx.addEndHandler(done -> reservation.close());
        return reservation;
    }

    /** What one request holds of the budget. Used on its event loop only. */
    public final class Reservation {
        private long held;
        private boolean closed;

        private Reservation() {
        }

        /** Makes the reservation {@code total} bytes; false (and nothing changed) when the budget cannot hold them. */
        public boolean growTo(long total) {
            if (closed) {
                return false;
            }
            if (total <= held) {
                return true;
            }
            long more = total - held;
            if (used.addAndGet(more) > limits.bufferedBodyBytes()) {
                used.addAndGet(-more);
                return false;
            }
            held = total;
            return true;
        }

        void close() {
            if (!closed) {
                closed = true;
                used.addAndGet(-held);
                held = 0;
            }
        }
    }

    /** 503: the node holds as many bodies as its budget allows. */
    static ProblemException busy() {
        return ProblemException.of(503, "the node holds as many request bodies in memory as it can right now; retry "
                + "in a few seconds").withHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
    }
}
