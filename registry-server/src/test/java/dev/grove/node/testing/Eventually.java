package dev.grove.node.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * Waiting for a condition instead of sleeping a fixed time (Awaitility is not in the offline Maven repository, so this
 * is the one small helper the tests share). A wait polls the condition until it holds and returns as soon as it does;
 * its timeout exists only so that a test that is going to fail does not hang: no test depends on how fast the machine
 * is. {@link #holdsFor} is the other kind: something must NOT happen (or must stay true) for a whole period.
 *
 * <p>A condition that throws counts as not (yet) holding; the last failure is the cause of the {@link AssertionError}
 * thrown at the timeout, so an {@code assertThat} inside {@link #untilAsserted} reports what it saw last.
 */
public final class Eventually {
    /** Generous: a wait that is going to succeed does so long before; this only stops a hung test. */
    public static final Duration PATIENCE = Duration.ofSeconds(60);
    static final long POLL_MILLIS = 25;

    private Eventually() {
    }

    /** Waits until {@code condition} returns true. */
    public static void await(Duration timeout, Callable<Boolean> condition, String description) {
        await(timeout, condition, Boolean.TRUE::equals, description);
    }

    /** Waits until {@code value} returns something {@code until} accepts; returns it. */
    public static <T> T await(Duration timeout, Callable<T> value, Predicate<? super T> until, String description) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Throwable last = null;
        T seen = null;
        while (true) {
            try {
                seen = value.call();
                if (until.test(seen)) {
                    return seen;
                }
                last = null;
            } catch (Exception | AssertionError e) {
                last = e;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + timeout + ": " + description
                        + (last == null ? "; last seen: " + seen : ""), last);
            }
            pause();
        }
    }

    /** An assertion that must eventually pass: retried until it does; at the timeout its last failure is thrown. */
    public static void untilAsserted(Duration timeout, Check check, String description) {
        await(timeout, () -> {
            check.run();
            return true;
        }, description);
    }

    /**
     * Something that must hold for the whole of {@code period} (typically: that something does NOT happen): checked
     * over and over until the period is over; the first time it fails, this fails.
     */
    public static void holdsFor(Duration period, Check check, String description) {
        long end = System.nanoTime() + period.toNanos();
        do {
            try {
                check.run();
            } catch (Exception e) {
                throw new AssertionError("during " + period + ": " + description, e);
            } catch (AssertionError e) {
                throw new AssertionError("during " + period + ": " + description + ": " + e.getMessage(), e);
            }
            pause();
        } while (System.nanoTime() - end < 0);
        try {
            check.run();
        } catch (Exception e) {
            throw new AssertionError("at the end of " + period + ": " + description, e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** A check: returns when it holds, throws (an {@link AssertionError}, typically) when it does not. */
    @FunctionalInterface
    public interface Check {
        void run() throws Exception;
    }
}
