package dev.grove.node.release;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The verdict of {@link ReleaseRule} on one version: one {@link Condition} per condition of the rule, in the order
 * benefit, autonomy, efficiency, retention (then {@code standing}, unmet, for a version its namespace yanked: see
 * {@link #withdrawn}), and the figures they were judged on.
 *
 * @param conditions  the conditions
 * @param reports     the benefit reports' estimate, when there are any
 * @param comparisons the candidate against its baseline on every shared quality metric
 */
public record Evaluation(List<Condition> conditions, Optional<ReportFigures> reports, List<Comparison> comparisons) {

    public Evaluation {
        conditions = List.copyOf(conditions);
        Objects.requireNonNull(reports, "reports");
        comparisons = List.copyOf(comparisons);
    }

    /** Promoted when every condition is met, an experiment otherwise. */
    public Status status() {
        return conditions.stream().allMatch(Condition::met) ? Status.PROMOTED : Status.EXPERIMENT;
    }

    /**
     * This verdict for a version its namespace yanked: whatever the evidence, the node no longer stands behind it, so a
     * fifth condition, {@code standing}, is unmet and the version cannot stay promoted.
     */
    public Evaluation withdrawn(String yankReason) {
        List<Condition> all = new ArrayList<>(conditions);
        all.add(new Condition("standing", false, "yanked", 1, 0, "standing: yanked by its namespace"
                + (yankReason.isBlank() ? "" : " (" + yankReason + ")")));
        return new Evaluation(all, reports, comparisons);
    }

    /** The conditions that are not met, in rule order. */
    public List<Condition> missing() {
        return conditions.stream().filter(c -> !c.met()).toList();
    }

    /**
     * One condition of the rule.
     *
     * @param name    {@code benefit}, {@code autonomy}, {@code efficiency} or {@code retention}
     * @param met     whether it holds
     * @param measure what {@code value} and {@code bound} are (e.g. {@code reports}, {@code net-help-low})
     * @param value   the measured value the condition turned on
     * @param bound   what the value was compared with
     * @param reason  a sentence a visitor can read, starting with the condition's name
     */
    public record Condition(String name, boolean met, String measure, double value, double bound, String reason) {
        public Condition {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(measure, "measure");
            Objects.requireNonNull(reason, "reason");
            if (!Double.isFinite(value) || !Double.isFinite(bound)) {
                throw new IllegalArgumentException(name + ": value and bound must be finite, were " + value + ", " + bound);
            }
        }
    }

    /** A value with its two-sided interval. */
    public record Interval(double value, double low, double high) {
    }

    /**
     * The reports' figures: the estimated share of users helped (randomized response undone, with its interval) and
     * the net help {@code 2·share − 1} (helped minus not helped), with the interval mapped the same way.
     */
    public record ReportFigures(long count, long helpedYes, Interval helped, Interval netHelp) {
    }

    /**
     * One quality metric on one evaluation set, baseline against candidate, each with its Wilson interval, and the
     * difference (candidate − baseline) with the normal interval of a difference of two proportions.
     */
    public record Comparison(String dataset, String datasetDigest, String metric, Interval baseline, long baselineSamples,
                             Interval candidate, long candidateSamples, Interval difference) {
    }
}
