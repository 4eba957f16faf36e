package dev.grove.node.log;

import java.time.Duration;
import java.util.Objects;

/**
 * How the integrator runs.
 *
 * @param interval          the pause between integration rounds; an entry committed now is in a signed checkpoint
 *                          within about {@code interval} plus one round (a few milliseconds), unless more than
 *                          {@code maxEntriesPerRound} entries are waiting, in which case rounds follow each other at once
 * @param maxEntriesPerRound the most entries one round integrates (bounds the work done on the event loop per round)
 */
public record LogSettings(Duration interval, int maxEntriesPerRound) {

    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(200);
    public static final int DEFAULT_MAX_ENTRIES_PER_ROUND = 4096;

    public LogSettings {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("integration interval must be positive, was " + interval);
        }
        if (maxEntriesPerRound < 1) {
            throw new IllegalArgumentException("maxEntriesPerRound must be at least 1, was " + maxEntriesPerRound);
        }
    }

    /** Every 200 ms, at most 4096 entries per round. */
    public static LogSettings defaults() {
        return new LogSettings(DEFAULT_INTERVAL, DEFAULT_MAX_ENTRIES_PER_ROUND);
    }

    public LogSettings withInterval(Duration interval) {
        return new LogSettings(interval, maxEntriesPerRound);
    }

    public LogSettings withMaxEntriesPerRound(int max) {
        return new LogSettings(interval, max);
    }
}
