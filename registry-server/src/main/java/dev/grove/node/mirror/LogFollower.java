package dev.grove.node.mirror;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Follows one log through its sources, in the order configured (the origin and its mirrors: {@code --follow
 * URL1,URL2#KEY}). A round asks the first source that is not waiting out a backoff; when that source faults (the fault
 * is its own, shown on it), the round goes on with the next one, so the log is copied from whichever source answers and
 * verifies. Every source checks against the same log state (one checkpoint and {@code next_entry} per origin), so a
 * catch-up interrupted on one source continues on the next where it stopped. A source at fault is asked again after its
 * own backoff, first again if it comes first.
 */
final class LogFollower {

    private final List<PeerFollower> sources;
    private final Duration interval;
    private final BooleanSupplier stopped;

    LogFollower(List<PeerFollower> sources, Duration interval, BooleanSupplier stopped) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("a followed log needs a source");
        }
        this.sources = List.copyOf(sources);
        this.interval = interval;
        this.stopped = stopped;
    }

    /** The log's name in logs and timers: its first source's URL. */
    String name() {
        return sources.get(0).url();
    }

    List<PeerFollower> sources() {
        return sources;
    }

    /** One round; never fails. Returns the wait before the next: the interval, or until a source's backoff ends. */
    Future<Duration> check() {
        Instant now = Instant.now();
        List<PeerFollower> ready = sources.stream().filter(s -> !s.retryAt().isAfter(now)).toList();
        if (ready.isEmpty()) {
            return Future.succeededFuture(untilFirstRetry());
        }
        return attempt(ready, 0);
    }

    private Future<Duration> attempt(List<PeerFollower> ready, int i) {
        return ready.get(i).check().compose(done -> {
            if (!done.faulted()) {
                return Future.succeededFuture(done.pause());
            }
            if (i + 1 < ready.size() && !stopped.getAsBoolean()) {
                return attempt(ready, i + 1);
            }
            return Future.succeededFuture(untilFirstRetry());
        });
    }

    private Duration untilFirstRetry() {
        Instant first = sources.stream().map(PeerFollower::retryAt).min(Comparator.naturalOrder()).orElseThrow();
        Duration wait = Duration.between(Instant.now(), first);
        return wait.isNegative() || wait.isZero() ? interval : wait;
    }
}
