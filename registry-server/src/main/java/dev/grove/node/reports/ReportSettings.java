package dev.grove.node.reports;

import java.time.Duration;
import java.util.Objects;

/**
 * How a node takes anonymous reports.
 *
 * @param minimumReports  reports a version (and each breakdown cell) needs before any figure of them is shown: the
 *                        node's one minimum, which the release rule, its evaluations and its decisions hold to as well
 *                        ({@code Release.open}), and which a version needs before it can be promoted
 * @param tokenBurst      tokens one client address may get at once (the bucket's size)
 * @param tokensPerHour   tokens one client address gets back per hour (the bucket's refill)
 * @param limiterRotation how long the in-memory secret keying the rate limiter lives; at each rotation every bucket is
 *                        forgotten, so no record of who asked outlives it
 */
public record ReportSettings(int minimumReports, int tokenBurst, int tokensPerHour, Duration limiterRotation) {

    public ReportSettings {
        if (minimumReports < 1) {
            throw new IllegalArgumentException("minimumReports must be at least 1, was " + minimumReports);
        }
        if (tokenBurst < 1) {
            throw new IllegalArgumentException("tokenBurst must be at least 1, was " + tokenBurst);
        }
        if (tokensPerHour < 1) {
            throw new IllegalArgumentException("tokensPerHour must be at least 1, was " + tokensPerHour);
        }
        Objects.requireNonNull(limiterRotation, "limiterRotation");
        if (limiterRotation.isNegative() || limiterRotation.isZero()) {
            throw new IllegalArgumentException("limiterRotation must be positive, was " + limiterRotation);
        }
    }

    /** 20 reports before anything is shown; 20 tokens at once and 60 an hour per address; the limiter's secret an hour. */
    public static ReportSettings defaults() {
        return new ReportSettings(20, 20, 60, Duration.ofHours(1));
    }

    public ReportSettings withMinimumReports(int minimumReports) {
        return new ReportSettings(minimumReports, tokenBurst, tokensPerHour, limiterRotation);
    }

    public ReportSettings withTokenLimit(int tokenBurst, int tokensPerHour) {
        return new ReportSettings(minimumReports, tokenBurst, tokensPerHour, limiterRotation);
    }
}
