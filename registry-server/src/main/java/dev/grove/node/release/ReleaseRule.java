package dev.grove.node.release;

import dev.grove.node.release.Evaluation.Comparison;
import dev.grove.node.release.Evaluation.Condition;
import dev.grove.node.release.Evaluation.Interval;
import dev.grove.node.release.Evaluation.ReportFigures;
import dev.grove.node.release.ReleaseEvidence.Baseline;
import dev.grove.node.release.ReleaseEvidence.MetricFact;
import dev.grove.node.release.ReleaseEvidence.VersionFacts;
import dev.grove.pkg.CascadeConfig;
import dev.grove.reports.Estimate;
import dev.grove.reports.RandomizedResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.LinkedHashMap;

/**
 * Grove's release rule (docs/protocol.md, "Release"): a pure function from {@link ReleaseEvidence} to an
 * {@link Evaluation}. A version is promoted when all four conditions hold:
 *
 * <ul>
 *   <li><b>benefit:</b> at least {@code minimumReports} reports, and the lower bound of the reported net help
 *       ({@code 2·helped − 1}, randomized response undone) above zero. A version whose operator adds capability
 *       ({@code train}, {@code fine-tune}, {@code merge}, {@code adapter}) must also show an evaluation gain over its
 *       baseline (the lower bound of the difference of proportions above zero on at least one shared evaluation set)
 *       when the two share a set; a version whose purpose is efficiency ({@code quantize}, {@code prune},
 *       {@code distill}, {@code cascade}) need not, since its saving is judged by efficiency and its losses by retention.</li>
 *   <li><b>autonomy:</b> one point each for an open license, exportable weights (safetensors artifacts this node can
 *       serve) and open formats (every artifact in an open media type); the score must reach {@code minAutonomy}.</li>
 *   <li><b>efficiency:</b> the largest relative saving over the baseline in bytes, parameters or median measured
 *       latency (each {@code (baseline − candidate) / baseline}; the latency only when both have at least
 *       {@code minimumReports} reports that measured one) must be above zero. A cascade carries no weights: its
 *       bytes and parameters are the measured means its evaluation card states ({@code mean-bytes-loaded},
 *       {@code mean-parameters-run}: every member consulted counts), which the node checked at publish.</li>
 *   <li><b>retention:</b> on every quality metric of the baseline's evaluation card, the candidate's value must not be
 *       lower by more than {@code retentionBound}; a metric the candidate does not report counts as lost.</li>
 * </ul>
 *
 * The baseline is the first parent of the lineage card (for a cascade, its last member, the one it stands in for), or, for a version without parents, the newest promoted version
 * of the package that precedes it. Without either (the first version of a package to be promoted), efficiency and
 * retention have nothing to be measured against and hold, so benefit and autonomy decide alone. A parent this node does
 * not hold leaves efficiency and retention unmet: they cannot be measured here.
 *
 * <p>{@code minimumReports} is the node's one minimum for reports ({@code ReportSettings#minimumReports}): the reports'
 * figures reach the rule only from that many reports on ({@link ReleaseEvidence.Reports}), so no condition's value or
 * reason can cite a figure of fewer.
 */
public final class ReleaseRule {

    /** The highest autonomy score: open license, exportable weights, open formats. */
    public static final int MAX_AUTONOMY = 3;

    static final String SAFETENSORS = "application/vnd.safetensors";
    private static final Set<String> EFFICIENCY_OPERATORS = Set.of("quantize", "prune", "distill", "cascade");

    private final ReleasePolicy policy;
    private final long minimumReports;
    private final RandomizedResponse rr;

    /** @param minimumReports benefit reports a version needs before they count (and before any figure of them shows) */
    public ReleaseRule(ReleasePolicy policy, long minimumReports) {
        this(policy, minimumReports, RandomizedResponse.standard());
    }

    public ReleaseRule(ReleasePolicy policy, long minimumReports, RandomizedResponse rr) {
        this.policy = Objects.requireNonNull(policy, "policy");
        if (minimumReports < 1) {
            throw new IllegalArgumentException("minimumReports must be at least 1, was " + minimumReports);
        }
        this.minimumReports = minimumReports;
        this.rr = Objects.requireNonNull(rr, "rr");
    }

    public ReleasePolicy policy() {
        return policy;
    }

    public long minimumReports() {
        return minimumReports;
    }

    /** @throws IllegalArgumentException when the evidence's reports were held to another minimum than this rule's */
    public Evaluation evaluate(ReleaseEvidence evidence) {
        VersionFacts c = evidence.candidate();
        requireMinimum(c);
        evidence.baseline().held().ifPresent(this::requireMinimum);
        Optional<ReportFigures> reports = reportFigures(c.reports());
        List<Comparison> comparisons = evidence.baseline().held().map(b -> compare(b, c)).orElse(List.of());
        List<Condition> conditions = List.of(
                benefit(c, reports, evidence.baseline(), comparisons),
                autonomy(c),
                efficiency(c, evidence.baseline()),
                retention(c, evidence.baseline()));
        return new Evaluation(conditions, reports, comparisons);
    }

    private void requireMinimum(VersionFacts f) {
        if (f.reports().minimum() != minimumReports) {
            throw new IllegalArgumentException("the reports of " + f.ref() + " were held to a minimum of "
                    + f.reports().minimum() + ", the rule's is " + minimumReports);
        }
    }

    /** The estimate, only from reports whose figures may be shown. */
    private Optional<ReportFigures> reportFigures(ReleaseEvidence.Reports r) {
        return r.figures().map(f -> {
            Estimate e = rr.estimate(f.helpedYes(), r.count(), policy.z(), policy.confidence());
            return new ReportFigures(r.count(), f.helpedYes(), new Interval(e.value(), e.low(), e.high()),
                    new Interval(2 * e.value() - 1, 2 * e.low() - 1, 2 * e.high() - 1));
        });
    }

    private Condition benefit(VersionFacts c, Optional<ReportFigures> reports, Baseline baseline,
                              List<Comparison> comparisons) {
        long n = c.reports().count();
        if (reports.isEmpty()) {
            // below the minimum the count is all there is to cite
            return new Condition("benefit", false, "reports", n, minimumReports,
                    "benefit: " + n + " report" + (n == 1 ? "" : "s") + ", need " + minimumReports);
        }
        Interval net = reports.get().netHelp();
        String reported = "reported net help " + f(net.value()) + " (" + pct() + " interval " + f(net.low()) + " to "
                + f(net.high()) + ") over " + n + " reports";
        if (!(net.low() > 0)) {
            return new Condition("benefit", false, "net-help-low", net.low(), 0,
                    "benefit: " + reported + " is not above zero");
        }
        boolean needsGain = !EFFICIENCY_OPERATORS.contains(c.operator()) && !comparisons.isEmpty();
        if (needsGain) {
            Comparison best = comparisons.stream()
                    .max((a, b) -> Double.compare(a.difference().low(), b.difference().low())).orElseThrow();
            String gain = best.metric() + " on " + best.dataset() + " changed " + signed(best.difference().value())
                    + " over the " + baseline.relation() + " (" + pct() + " interval " + signed(best.difference().low())
                    + " to " + signed(best.difference().high()) + ")";
            if (!(best.difference().low() > 0)) {
                return new Condition("benefit", false, "evaluation-gain-low", best.difference().low(), 0,
                        "benefit: " + gain + "; a " + c.operator() + " must show a gain above zero on an evaluation set"
                                + " it shares with the " + baseline.relation());
            }
            return new Condition("benefit", true, "evaluation-gain-low", best.difference().low(), 0,
                    "benefit: " + reported + "; " + gain);
        }
        return new Condition("benefit", true, "net-help-low", net.low(), 0, "benefit: " + reported);
    }

    private Condition autonomy(VersionFacts c) {
        List<String> missing = new ArrayList<>();
        int score = 0;
        if (policy.openLicenses().contains(c.license())) {
            score++;
        } else {
            missing.add("license " + c.license() + " is not an open license");
        }
        List<ReleaseEvidence.ArtifactFact> weights = c.artifacts().stream()
                .filter(a -> a.mediaType().equals(SAFETENSORS)).toList();
        Optional<ReleaseEvidence.ArtifactFact> unfetchable = weights.stream().filter(a -> !a.fetchable()).findFirst();
        if (weights.isEmpty()) {
            missing.add("no safetensors weights to export");
        } else if (unfetchable.isPresent()) {
            missing.add("weights " + unfetchable.get().path() + " cannot be fetched from this node");
        } else {
            score++;
        }
        Optional<ReleaseEvidence.ArtifactFact> closed = c.artifacts().stream()
                .filter(a -> !policy.openMediaTypes().contains(a.mediaType())).findFirst();
        if (closed.isPresent()) {
            missing.add(closed.get().path() + " is in " + closed.get().mediaType() + ", not an open format");
        } else {
            score++;
        }
        boolean met = score >= policy.minAutonomy();
        String reason = "autonomy: score " + score + " of " + MAX_AUTONOMY + (met ? ", minimum " : ", need ")
                + policy.minAutonomy() + (missing.isEmpty() ? " (open license, exportable weights, open formats)"
                : " (" + String.join("; ", missing) + ")");
        return new Condition("autonomy", met, "autonomy-score", score, policy.minAutonomy(), reason);
    }

    private Condition efficiency(VersionFacts c, Baseline baseline) {
        if (baseline instanceof Baseline.MissingParent m) {
            return new Condition("efficiency", false, "saving", 0, 0, "efficiency: parent " + m.digest()
                    + " is not on this node, so the saving cannot be measured");
        }
        Optional<VersionFacts> base = baseline.held();
        if (base.isEmpty()) {
            return new Condition("efficiency", true, "saving", 0, 0, "efficiency: no parent and no earlier promoted "
                    + "version to compare with; the first promotion of a package needs no saving");
        }
        VersionFacts b = base.get();
        Map<String, Double> savings = new LinkedHashMap<>();
        List<String> parts = new ArrayList<>();
        boolean cascade = c.operator().equals("cascade");
        Optional<MetricFact> meanBytes = cascade ? metric(c, CascadeConfig.MEAN_BYTES_LOADED) : Optional.empty();
        Optional<MetricFact> meanParameters = cascade ? metric(c, CascadeConfig.MEAN_PARAMETERS_RUN) : Optional.empty();
        if (cascade && (meanBytes.isEmpty() || meanParameters.isEmpty())) {
            return new Condition("efficiency", false, "saving", 0, 0, "efficiency: a cascade carries no weights, and its "
                    + "evaluation card states no mean cost (" + CascadeConfig.MEAN_BYTES_LOADED + ", "
                    + CascadeConfig.MEAN_PARAMETERS_RUN + ") to compare with the " + baseline.relation());
        }
        // an adapter runs over its base (its parent): running it costs the base's weights and its own delta
        boolean overBase = c.operator().equals("adapter") && baseline instanceof Baseline.Parent;
        double bytes = cascade ? meanBytes.get().value() : overBase ? c.bytes() + b.bytes() : c.bytes();
        double parameters = cascade ? meanParameters.get().value()
                : overBase ? c.parameters() + b.parameters() : c.parameters();
        String mean = cascade ? "mean " : "";
        String with = overBase ? " (with its base)" : "";
        if (b.bytes() > 0) {
            savings.put("bytes", saving(b.bytes(), bytes));
            parts.add(mean + f(bytes) + " bytes" + (cascade ? " loaded" : with) + " against " + b.bytes());
        }
        if (b.parameters() > 0) {
            savings.put("parameters", saving(b.parameters(), parameters));
            parts.add(mean + f(parameters) + " parameters" + (cascade ? " run" : with) + " against " + b.parameters());
        }
        Optional<ReleaseEvidence.Latency> cl = c.reports().latency();
        Optional<ReleaseEvidence.Latency> bl = b.reports().latency();
        if (cl.isPresent() && bl.isPresent() && bl.get().medianMs() > 0) {
            savings.put("latency", saving(bl.get().medianMs(), cl.get().medianMs()));
            parts.add("median latency " + f(cl.get().medianMs()) + " ms against " + f(bl.get().medianMs()) + " ms");
        }
        Map.Entry<String, Double> best = savings.entrySet().stream().max(Map.Entry.comparingByValue())
                .orElse(Map.entry("none", 0.0));
        boolean met = best.getValue() > 0;
        String reason = "efficiency: " + String.join(", ", parts) + " of the " + baseline.relation() + "; "
                + (met ? "saves " + percent(best.getValue()) + " in " + best.getKey()
                : "no saving in bytes, parameters or measured latency");
        return new Condition("efficiency", met, "saving", best.getValue(), 0, reason);
    }

    /** The metric as stated on the card's first evaluation set that has it. */
    private static Optional<MetricFact> metric(VersionFacts c, String name) {
        return c.metrics().stream().filter(m -> m.metric().equals(name)).findFirst();
    }

    private Condition retention(VersionFacts c, Baseline baseline) {
        if (baseline instanceof Baseline.MissingParent m) {
            return new Condition("retention", false, "drop", 0, policy.retentionBound(), "retention: parent "
                    + m.digest() + " is not on this node, so its evaluation sets cannot be compared");
        }
        Optional<VersionFacts> base = baseline.held();
        if (base.isEmpty()) {
            return new Condition("retention", true, "drop", 0, policy.retentionBound(),
                    "retention: no parent and no earlier promoted version, so no evaluation set to retain");
        }
        double worst = 0;
        String worstText = "";
        int checked = 0;
        for (MetricFact bm : base.get().metrics()) {
            if (!isQuality(bm)) {
                continue;
            }
            checked++;
            Optional<MetricFact> cm = find(c.metrics(), bm);
            if (cm.isEmpty()) {
                return new Condition("retention", false, "drop", bm.value(), policy.retentionBound(), "retention: no "
                        + bm.metric() + " on " + bm.dataset() + ", an evaluation set of the " + baseline.relation());
            }
            double drop = bm.value() - cm.get().value();
            if (drop > worst) {
                worst = drop;
                worstText = bm.metric() + " on " + bm.dataset() + " dropped " + f(drop);
            }
        }
        if (worst > policy.retentionBound()) {
            return new Condition("retention", false, "drop", worst, policy.retentionBound(),
                    "retention: " + worstText + " > bound " + f(policy.retentionBound()));
        }
        return new Condition("retention", true, "drop", worst, policy.retentionBound(), "retention: "
                + (checked == 0 ? "the " + baseline.relation() + " reports no quality metric to retain"
                : worst > 0 ? worstText + ", within bound " + f(policy.retentionBound())
                : "no drop on the " + checked + " metric" + (checked == 1 ? "" : "s") + " of the " + baseline.relation()));
    }

    /** Every quality metric the two cards share, by evaluation set digest and metric name. */
    private List<Comparison> compare(VersionFacts b, VersionFacts c) {
        List<Comparison> out = new ArrayList<>();
        for (MetricFact bm : b.metrics()) {
            if (!isQuality(bm)) {
                continue;
            }
            find(c.metrics(), bm).filter(this::isQuality).ifPresent(cm -> {
                double diff = cm.value() - bm.value();
                double se = Math.sqrt(bm.value() * (1 - bm.value()) / bm.samples()
                        + cm.value() * (1 - cm.value()) / cm.samples());
                out.add(new Comparison(bm.dataset(), bm.datasetDigest(), bm.metric(), wilson(bm.value(), bm.samples()),
                        bm.samples(), wilson(cm.value(), cm.samples()), cm.samples(),
                        new Interval(diff, diff - policy.z() * se, diff + policy.z() * se)));
            });
        }
        return out;
    }

    private boolean isQuality(MetricFact m) {
        return policy.qualityMetrics().contains(m.metric()) && m.value() >= 0 && m.value() <= 1;
    }

    private static Optional<MetricFact> find(List<MetricFact> metrics, MetricFact like) {
        return metrics.stream().filter(m -> m.datasetDigest().equals(like.datasetDigest())
                && m.metric().equals(like.metric())).findFirst();
    }

    private Interval wilson(double p, long n) {
        double z2 = policy.z() * policy.z();
        double denominator = 1 + z2 / n;
        double center = (p + z2 / (2.0 * n)) / denominator;
        double half = policy.z() / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return new Interval(p, Math.max(0, center - half), Math.min(1, center + half));
    }

    private static double saving(double baseline, double candidate) {
        return (baseline - candidate) / baseline;
    }

    private String pct() {
        return Math.round(policy.confidence() * 100) + "%";
    }

    static String f(double x) {
        return String.format(Locale.ROOT, "%.4f", x).replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    private static String signed(double x) {
        return (x > 0 ? "+" : "") + f(x);
    }

    private static String percent(double x) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * x);
    }
}
