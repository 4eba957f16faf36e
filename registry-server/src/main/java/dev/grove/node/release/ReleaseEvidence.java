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
     * @param reports   the aggregate of the version's benefit reports
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
     * The aggregate of a version's benefit reports.
     *
     * @param count         reports received
     * @param helpedYes     reports whose randomized answer to "did it help?" was yes
     * @param firstDay      the day the first report was received
     * @param lastDay       the day the last report was received
     * @param latencyCount  reports that measured a latency
     * @param latencyMedianMs the median of those latencies (0 when there are none)
     */
    public record Reports(long count, long helpedYes, Optional<LocalDate> firstDay, Optional<LocalDate> lastDay,
                          long latencyCount, double latencyMedianMs) {
        public Reports {
            if (count < 0 || helpedYes < 0 || helpedYes > count || latencyCount < 0 || latencyCount > count) {
                throw new IllegalArgumentException("inconsistent report counts: count=" + count + " yes=" + helpedYes
                        + " latency=" + latencyCount);
            }
            Objects.requireNonNull(firstDay, "firstDay");
            Objects.requireNonNull(lastDay, "lastDay");
        }

        public static Reports none() {
            return new Reports(0, 0, Optional.empty(), Optional.empty(), 0, 0);
        }
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
