package dev.grove.node.release;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * A node's release policy: the bounds {@link ReleaseRule} judges a version against, and how often the node evaluates.
 * The reports a version needs are not among them: that is the node's one minimum for reports
 * ({@code ReportSettings#minimumReports}), below which no figure of them is shown, the rule included.
 *
 * @param minAutonomy      the autonomy score (0 to {@link ReleaseRule#MAX_AUTONOMY}) a version must reach
 * @param retentionBound   the largest drop allowed on any of the baseline's evaluation sets, in the metric's units
 *                         (0.02 = two accuracy points)
 * @param z                the normal quantile of the two-sided intervals (1.96 for 95%)
 * @param confidence       the confidence level {@code z} stands for, stated in decisions
 * @param interval         the pause between two evaluation rounds of the node
 * @param openLicenses     SPDX identifiers counted as open licenses
 * @param openMediaTypes   artifact media types counted as open formats
 * @param qualityMetrics   metric names read as proportions where higher is better; only these count for evaluation gain
 *                         and retention
 */
public record ReleasePolicy(int minAutonomy, double retentionBound, double z, double confidence,
                            Duration interval, Set<String> openLicenses, Set<String> openMediaTypes,
                            Set<String> qualityMetrics) {

    public static final int DEFAULT_MIN_AUTONOMY = ReleaseRule.MAX_AUTONOMY;
    public static final double DEFAULT_RETENTION_BOUND = 0.02;
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);

    /**
     * Common OSI-approved and Open Definition conformant (open data) SPDX identifiers. Licenses with use restrictions
     * (the RAIL family) are left out: a user bound by them cannot take the weights anywhere for any use.
     */
    public static final Set<String> DEFAULT_OPEN_LICENSES = Set.of("Apache-2.0", "MIT", "BSD-2-Clause", "BSD-3-Clause",
            "ISC", "MPL-2.0", "LGPL-2.1-only", "LGPL-2.1-or-later", "LGPL-3.0-only", "LGPL-3.0-or-later",
            "GPL-2.0-only", "GPL-2.0-or-later", "GPL-3.0-only", "GPL-3.0-or-later", "AGPL-3.0-only",
            "AGPL-3.0-or-later", "EUPL-1.2", "Unlicense", "0BSD", "CC0-1.0", "CC-BY-4.0", "CC-BY-SA-4.0",
            "ODbL-1.0", "ODC-By-1.0", "PDDL-1.0", "BSL-1.0", "Zlib");

    public static final Set<String> DEFAULT_OPEN_MEDIA_TYPES = Set.of("application/vnd.safetensors", "application/json",
            "text/plain", "text/tab-separated-values", "text/csv", "text/markdown");

    public static final Set<String> DEFAULT_QUALITY_METRICS = Set.of("accuracy", "balanced-accuracy", "f1", "macro-f1",
            "micro-f1", "precision", "recall", "exact-match", "top-1", "top-5");

    public ReleasePolicy {
        if (minAutonomy < 0 || minAutonomy > ReleaseRule.MAX_AUTONOMY) {
            throw new IllegalArgumentException("minAutonomy must be 0.." + ReleaseRule.MAX_AUTONOMY + ", was " + minAutonomy);
        }
        if (!(retentionBound >= 0 && retentionBound < 1)) {
            throw new IllegalArgumentException("retentionBound must be in [0, 1), was " + retentionBound);
        }
        if (!(z > 0) || Double.isInfinite(z)) {
            throw new IllegalArgumentException("z must be a positive number, was " + z);
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1), was " + confidence);
        }
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive, was " + interval);
        }
        openLicenses = Set.copyOf(openLicenses);
        openMediaTypes = Set.copyOf(openMediaTypes);
        qualityMetrics = Set.copyOf(qualityMetrics);
    }

    /** Autonomy 3 of 3, retention within 0.02, 95% intervals, a round a minute. */
    public static ReleasePolicy defaults() {
        return new ReleasePolicy(DEFAULT_MIN_AUTONOMY, DEFAULT_RETENTION_BOUND, 1.959963984540054,
                0.95, DEFAULT_INTERVAL, DEFAULT_OPEN_LICENSES, DEFAULT_OPEN_MEDIA_TYPES, DEFAULT_QUALITY_METRICS);
    }

    public ReleasePolicy withMinAutonomy(int minAutonomy) {
        return new ReleasePolicy(minAutonomy, retentionBound, z, confidence, interval, openLicenses,
                openMediaTypes, qualityMetrics);
    }

    public ReleasePolicy withRetentionBound(double retentionBound) {
        return new ReleasePolicy(minAutonomy, retentionBound, z, confidence, interval, openLicenses,
                openMediaTypes, qualityMetrics);
    }

    public ReleasePolicy withInterval(Duration interval) {
        return new ReleasePolicy(minAutonomy, retentionBound, z, confidence, interval, openLicenses,
                openMediaTypes, qualityMetrics);
    }
}
