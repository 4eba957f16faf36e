package dev.grove.node.release;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the node knows about a candidate version and the version it is judged against, as plain numbers: the input of
 * {@link ReleaseRule}. Gathered by {@link ReleaseEvaluator}; nothing in here is read from the network at rule time.
 *
 * @param candidate the version being evaluated
 * @param baseline  what it is compared with
 */
public record ReleaseEvidence(VersionFacts candidate, Baseline baseline) {

    public ReleaseEvidence {
        Objects.requireNonNull(candidate, "candidate");
        Objects.requireNonNull(baseline, "baseline");
    }

    /**
     * One version's facts.
     *
     * @param digest    the package digest
     * @param ref       {@code ns/name@version}
     * @param operator  the lineage operator's wire name ({@code train}, {@code quantize}, ...)
     * @param license   the contract's SPDX license expression
     * @param bytes     the contract's {@code resources.bytes}
     * @param parameters the contract's {@code resources.parameters}
     * @param artifacts the contract's artifacts, with whether this node can serve each one
     * @param metrics   every metric of the evaluation card, flattened
     * @param reports   the version's benefit reports, as far as the node may show them
     */
    public record VersionFacts(String digest, String ref, String operator, String license, long bytes, long parameters,
                               List<ArtifactFact> artifacts, List<MetricFact> metrics, Reports reports) {
        public VersionFacts {
            Objects.requireNonNull(digest, "digest");
            Objects.requireNonNull(ref, "ref");
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(license, "license");
            artifacts = List.copyOf(artifacts);
            metrics = List.copyOf(metrics);
            Objects.requireNonNull(reports, "reports");
        }
    }

    /** An artifact of the contract; {@code fetchable} when this node's blob store holds its bytes. */
    public record ArtifactFact(String path, String mediaType, boolean fetchable) {
    }

    /** One metric on one evaluation set, as the evaluation card states it. */
    public record MetricFact(String dataset, String datasetDigest, String metric, double value, long samples) {
    }

    /**
     * A version's benefit reports as far as the node may show them: the count always, and the figures computed from
     * the reports only once there are at least {@code minimum} of them (the node's {@code --min-reports}, the minimum
     * {@code GET /v1/reports/{digest}} holds to). Every figure the release route, a version document or a signed decision
     * cites about reports comes from here, so none of them can be computed from fewer reports than the minimum.
     *
     * @param count   reports received
     * @param minimum reports needed before any figure of them is shown
     * @param figures what the reports show; present exactly when {@code count >= minimum}
     */
    public record Reports(long count, long minimum, Optional<Figures> figures) {
        public Reports {
            if (count < 0 || minimum < 1) {
                throw new IllegalArgumentException("count must be at least 0 and minimum at least 1, were " + count
                        + ", " + minimum);
            }
            Objects.requireNonNull(figures, "figures");
            if (figures.isPresent() != count >= minimum) {
                throw new IllegalArgumentException("the figures of " + count + " reports must be "
                        + (count >= minimum ? "given" : "withheld") + " under a minimum of " + minimum);
            }
            figures.ifPresent(f -> {
                if (f.helpedYes() > count || f.latency().map(l -> l.count() < minimum || l.count() > count).orElse(false)) {
                    throw new IllegalArgumentException("inconsistent report counts: count=" + count + " yes="
                            + f.helpedYes() + " latency=" + f.latency().map(Latency::count).orElse(0L));
                }
            });
        }

        /** No reports yet. */
        public static Reports none(long minimum) {
            return new Reports(0, minimum, Optional.empty());
        }

        /**
         * The aggregate as the database gives it, with what it may not show left out: below {@code minimum} reports
         * every figure, and below {@code minimum} measured latencies the latency.
         *
         * @param helpedYes       reports whose randomized answer to "did it help?" was yes
         * @param firstDay        the day the first report was received (present when there are reports)
         * @param lastDay         the day the last report was received
         * @param latencyCount    reports that measured a latency
         * @param latencyMedianMs the median of those latencies
         */
        public static Reports of(long minimum, long count, long helpedYes, Optional<LocalDate> firstDay,
                                 Optional<LocalDate> lastDay, long latencyCount, double latencyMedianMs) {
            if (count < minimum) {
                return new Reports(count, minimum, Optional.empty());
            }
            Optional<Latency> latency = latencyCount >= minimum
                    ? Optional.of(new Latency(latencyCount, latencyMedianMs)) : Optional.empty();
            return new Reports(count, minimum, Optional.of(new Figures(helpedYes,
                    firstDay.orElseThrow(() -> new IllegalArgumentException("reports without a first day")),
                    lastDay.orElseThrow(() -> new IllegalArgumentException("reports without a last day")), latency)));
        }

        /** Whether the figures are shown (there are at least {@code minimum} reports). */
        public boolean shown() {
            return figures.isPresent();
        }

        /** The measured latency, when at least {@code minimum} reports measured one. */
        public Optional<Latency> latency() {
            return figures.flatMap(Figures::latency);
        }
    }

    /**
     * What at least the minimum number of reports show.
     *
     * @param helpedYes reports whose randomized answer to "did it help?" was yes
     * @param firstDay  the day the first report was received
     * @param lastDay   the day the last report was received
     * @param latency   the measured latency, when at least the minimum number of reports measured one
     */
    public record Figures(long helpedYes, LocalDate firstDay, LocalDate lastDay, Optional<Latency> latency) {
        public Figures {
            if (helpedYes < 0) {
                throw new IllegalArgumentException("helpedYes must be at least 0, was " + helpedYes);
            }
            Objects.requireNonNull(firstDay, "firstDay");
            Objects.requireNonNull(lastDay, "lastDay");
            Objects.requireNonNull(latency, "latency");
        }
    }

    /** The latencies reports measured: how many, and their median. */
    public record Latency(long count, double medianMs) {
    }

    /** What a candidate is compared with. */
    public sealed interface Baseline {
        /** The version's first parent in its lineage card, held by this node. */
        record Parent(VersionFacts facts) implements Baseline {
        }

        /** For a version without parents: the newest promoted version of its package that precedes it. */
        record Promoted(VersionFacts facts) implements Baseline {
        }

        /** A version without parents in a package with no promoted version before it: nothing to compare with. */
        record None() implements Baseline {
        }

        /** The version's first parent is not on this node, so nothing about it can be measured here. */
        record MissingParent(String digest) implements Baseline {
        }

        /** The word decisions and pages use: {@code parent}, {@code promoted}, {@code none}, {@code missing-parent}. */
        default String relation() {
            if (this instanceof Parent) {
                return "parent";
            }
            if (this instanceof Promoted) {
                return "promoted";
            }
            return this instanceof None ? "none" : "missing-parent";
        }

        /** The baseline's facts, when it is a version this node holds. */
        default Optional<VersionFacts> held() {
            if (this instanceof Parent p) {
                return Optional.of(p.facts());
            }
            if (this instanceof Promoted p) {
                return Optional.of(p.facts());
            }
            return Optional.empty();
        }
    }
}
