package dev.grove.node.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.grove.node.release.Evaluation.Condition;
import dev.grove.node.release.ReleaseEvidence.ArtifactFact;
import dev.grove.node.release.ReleaseEvidence.Baseline;
import dev.grove.node.release.ReleaseEvidence.MetricFact;
import dev.grove.node.release.ReleaseEvidence.Reports;
import dev.grove.node.release.ReleaseEvidence.VersionFacts;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReleaseRuleTest {

    private static final long MINIMUM = 20;
    private static final ReleaseRule RULE = new ReleaseRule(ReleasePolicy.defaults(), MINIMUM);
    private static final String SET = "sha256:" + "ab".repeat(32);

    /** {@code yes} of {@code n} randomized answers were yes. */
    private static Reports reports(long yes, long n) {
        return Reports.of(MINIMUM, n, yes, Optional.of(LocalDate.of(2026, 11, 1)), Optional.of(LocalDate.of(2026, 11, 20)),
                0, 0);
    }

    /** {@code n} reports, {@code yes} of them yes, {@code measured} of them with a latency, whose median is given. */
    private static Reports latencies(long n, long yes, long measured, double medianMs) {
        return Reports.of(MINIMUM, n, yes, Optional.of(LocalDate.of(2026, 11, 1)), Optional.of(LocalDate.of(2026, 11, 20)),
                measured, medianMs);
    }

    private static VersionFacts facts(String operator, String license, long bytes, double accuracy, long samples,
                                      Reports reports) {
        return new VersionFacts("sha256:" + "cd".repeat(32), "demo/x@1.0.0", operator, license, bytes, 100,
                List.of(new ArtifactFact("weights/model.safetensors", ReleaseRule.SAFETENSORS, true)),
                List.of(new MetricFact("heldout", SET, "accuracy", accuracy, samples)), reports);
    }

    private static VersionFacts parent() {
        return facts("train", "Apache-2.0", 4000, 0.90, 600, Reports.none(MINIMUM));
    }

    private static Condition condition(Evaluation e, String name) {
        return e.conditions().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void quantizedChildWithPositiveReportsIsPromoted() {
        Evaluation e = RULE.evaluate(new ReleaseEvidence(facts("quantize", "MIT", 1000, 0.895, 600, reports(90, 100)),
                new Baseline.Parent(parent())));
        assertEquals(Status.PROMOTED, e.status(), e.conditions().toString());
        assertEquals(4, e.conditions().size());
        // 90 of 100 randomized yes: true share (0.9 - 0.25) / 0.5 = 1.3, clamped to 1; net help 1
        assertEquals(1.0, e.reports().orElseThrow().netHelp().value(), 1e-9);
        assertTrue(e.reports().orElseThrow().netHelp().low() > 0);
        assertEquals(0.75, condition(e, "efficiency").value(), 1e-9);
        assertEquals("efficiency: 1000 bytes against 4000, 100 parameters against 100 of the parent; saves 75.0% in bytes",
                condition(e, "efficiency").reason());
        assertEquals(1, e.comparisons().size());
        assertEquals(-0.005, e.comparisons().get(0).difference().value(), 1e-9);
    }

    /** An adapter runs over its base: its cost is the base's weights and its own, so it saves nothing over the base. */
    @Test
    void adapterCostsItsBaseAndItsDelta() {
        Evaluation e = RULE.evaluate(new ReleaseEvidence(facts("adapter", "MIT", 300, 0.96, 600, reports(90, 100)),
                new Baseline.Parent(parent())));
        Condition efficiency = condition(e, "efficiency");
        assertFalse(efficiency.met());
        assertEquals("efficiency: 4300 bytes (with its base) against 4000, 200 parameters (with its base) against 100 "
                + "of the parent; no saving in bytes, parameters or measured latency", efficiency.reason());
        assertEquals(Status.EXPERIMENT, e.status());
    }

    @Test
    void tooFewReports() {
        Evaluation e = RULE.evaluate(new ReleaseEvidence(facts("quantize", "MIT", 1000, 0.9, 600, reports(12, 12)),
                new Baseline.Parent(parent())));
        assertEquals(Status.EXPERIMENT, e.status());
        assertEquals("benefit: 12 reports, need 20", condition(e, "benefit").reason());
        assertEquals(List.of("benefit"), e.missing().stream().map(Condition::name).toList());
    }

    @Test
    void negativeReportedBenefit() {
        // 30 of 100 randomized yes: true share 0.1, net help -0.8
        Evaluation e = RULE.evaluate(new ReleaseEvidence(facts("quantize", "MIT", 1000, 0.9, 600, reports(30, 100)),
                new Baseline.Parent(parent())));
        Condition benefit = condition(e, "benefit");
        assertFalse(benefit.met());
        assertEquals("net-help-low", benefit.measure());
        assertTrue(benefit.reason().startsWith("benefit: reported net help -0.8 (95% interval "), benefit.reason());
        assertTrue(benefit.reason().endsWith(") over 100 reports is not above zero"), benefit.reason());
    }

    @Test
    void evenReportsAreNotABenefit() {
        Evaluation e = RULE.evaluate(new ReleaseEvidence(facts("quantize", "MIT", 1000, 0.9, 600, reports(50, 100)),
                new Baseline.Parent(parent())));
        assertFalse(condition(e, "benefit").met());
    }

    @Test
    void fineTuneNeedsAnEvaluationGainBesidesReports() {
        VersionFacts same = facts("fine-tune", "MIT", 1000, 0.91, 600, reports(90, 100));
        Condition benefit = condition(RULE.evaluate(new ReleaseEvidence(same, new Baseline.Parent(parent()))), "benefit");
        assertFalse(benefit.met());
        assertEquals("evaluation-gain-low", benefit.measure());
        assertTrue(benefit.reason().startsWith("benefit: accuracy on heldout changed +0.01 over the parent"),
                benefit.reason());

        VersionFacts better = facts("fine-tune", "MIT", 1000, 0.96, 600, reports(90, 100));
        Evaluation e = RULE.evaluate(new ReleaseEvidence(better, new Baseline.Parent(parent())));
        assertTrue(condition(e, "benefit").met(), condition(e, "benefit").reason());
        assertEquals(Status.PROMOTED, e.status());
        // 0.06 with n = 600 on both sides: se = sqrt(.9*.1/600 + .96*.04/600) = 0.014629
        assertEquals(0.06 - 1.959963984540054 * 0.014629, e.comparisons().get(0).difference().low(), 1e-5);
    }

    @Test
    void closedLicenseFailsAutonomy() {
        Evaluation e = RULE.evaluate(new ReleaseEvidence(
                facts("quantize", "LicenseRef-Proprietary", 1000, 0.9, 600, reports(90, 100)),
                new Baseline.Parent(parent())));
        Condition autonomy = condition(e, "autonomy");
        assertFalse(autonomy.met());
        assertEquals(2, autonomy.value());
        assertEquals("autonomy: score 2 of 3, need 3 (license LicenseRef-Proprietary is not an open license)",
                autonomy.reason());
    }

    @Test
    void openDataLicensesCountAsOpen_useRestrictedOnesDoNot() {
        for (String open : List.of("ODbL-1.0", "CC-BY-4.0", "Apache-2.0")) {
            Condition autonomy = condition(RULE.evaluate(new ReleaseEvidence(
                    facts("quantize", open, 1000, 0.9, 600, reports(90, 100)), new Baseline.Parent(parent()))),
                    "autonomy");
            assertTrue(autonomy.met(), open + ": " + autonomy.reason());
        }
        Condition restricted = condition(RULE.evaluate(new ReleaseEvidence(
                facts("quantize", "OpenRAIL-M", 1000, 0.9, 600, reports(90, 100)), new Baseline.Parent(parent()))),
                "autonomy");
        assertFalse(restricted.met());
        assertEquals("autonomy: score 2 of 3, need 3 (license OpenRAIL-M is not an open license)", restricted.reason());
    }

    @Test
    void unfetchableWeightsAndClosedFormatsFailAutonomy() {
        VersionFacts c = new VersionFacts("sha256:" + "cd".repeat(32), "demo/x@1.0.0", "quantize", "MIT", 1000, 100,
                List.of(new ArtifactFact("weights/model.safetensors", ReleaseRule.SAFETENSORS, false),
                        new ArtifactFact("model.pkl", "application/x-pickle", true)),
                List.of(), reports(90, 100));
        Condition autonomy = condition(RULE.evaluate(new ReleaseEvidence(c, new Baseline.Parent(parent()))), "autonomy");
        assertEquals(1, autonomy.value());
        assertEquals("autonomy: score 1 of 3, need 3 (weights weights/model.safetensors cannot be fetched from this node; "
                + "model.pkl is in application/x-pickle, not an open format)", autonomy.reason());
    }

    @Test
    void biggerThanParentFailsEfficiency() {
        Evaluation e = RULE.evaluate(new ReleaseEvidence(facts("quantize", "MIT", 5000, 0.9, 600, reports(90, 100)),
                new Baseline.Parent(parent())));
        Condition efficiency = condition(e, "efficiency");
        assertFalse(efficiency.met());
        assertEquals(0, efficiency.value(), 1e-9);
        assertEquals("efficiency: 5000 bytes against 4000, 100 parameters against 100 of the parent; no saving in bytes, "
                + "parameters or measured latency", efficiency.reason());
    }

    /** A cascade with no weights of its own: its mean cost from the card counts, not its contract's zero bytes. */
    private static VersionFacts cascade(double meanBytes, double meanParameters) {
        return new VersionFacts("sha256:" + "ef".repeat(32), "demo/x-cascade@1.0.0", "cascade", "MIT", 0, 0,
                List.of(new ArtifactFact("README.md", "text/markdown", true)),
                List.of(new MetricFact("heldout", SET, "accuracy", 0.9, 600),
                        new MetricFact("heldout", SET, "mean-bytes-loaded", meanBytes, 600),
                        new MetricFact("heldout", SET, "mean-parameters-run", meanParameters, 600)),
                reports(90, 100));
    }

    @Test
    void cascadeCountsItsMeasuredMeanCost() {
        Condition cheaper = condition(RULE.evaluate(new ReleaseEvidence(cascade(1500, 120), new Baseline.Parent(parent()))),
                "efficiency");
        assertTrue(cheaper.met(), cheaper.reason());
        assertEquals(0.625, cheaper.value(), 1e-9);
        assertEquals("efficiency: mean 1500 bytes loaded against 4000, mean 120 parameters run against 100 of the "
                + "parent; saves 62.5% in bytes", cheaper.reason());

        Condition dearer = condition(RULE.evaluate(new ReleaseEvidence(cascade(4800, 130), new Baseline.Parent(parent()))),
                "efficiency");
        assertFalse(dearer.met(), "zero bytes of its own are no saving: " + dearer.reason());

        VersionFacts silent = new VersionFacts("sha256:" + "ef".repeat(32), "demo/x-cascade@1.0.0", "cascade", "MIT", 0,
                0, List.of(), List.of(new MetricFact("heldout", SET, "accuracy", 0.9, 600)), reports(90, 100));
        Condition unstated = condition(RULE.evaluate(new ReleaseEvidence(silent, new Baseline.Parent(parent()))),
                "efficiency");
        assertFalse(unstated.met());
        assertTrue(unstated.reason().contains("states no mean cost"), unstated.reason());
    }

    @Test
    void measuredLatencyCountsAsASaving() {
        Reports slow = latencies(40, 30, 40, 80);
        Reports fast = latencies(40, 38, 40, 20);
        VersionFacts base = facts("train", "MIT", 4000, 0.9, 600, slow);
        VersionFacts c = facts("distill", "MIT", 4000, 0.9, 600, fast);
        Condition efficiency = condition(RULE.evaluate(new ReleaseEvidence(c, new Baseline.Parent(base))), "efficiency");
        assertTrue(efficiency.met(), efficiency.reason());
        assertEquals(0.75, efficiency.value(), 1e-9);
    }

    @Test
    void retentionDropBeyondBound() {
        Evaluation e = RULE.evaluate(new ReleaseEvidence(facts("quantize", "MIT", 1000, 0.853, 600, reports(90, 100)),
                new Baseline.Parent(parent())));
        Condition retention = condition(e, "retention");
        assertFalse(retention.met());
        assertEquals(0.047, retention.value(), 1e-9);
        assertEquals("retention: accuracy on heldout dropped 0.047 > bound 0.02", retention.reason());
    }

    @Test
    void lostEvaluationSetFailsRetention() {
        VersionFacts c = new VersionFacts("sha256:" + "cd".repeat(32), "demo/x@1.0.0", "quantize", "MIT", 1000, 100,
                List.of(new ArtifactFact("w", ReleaseRule.SAFETENSORS, true)),
                List.of(new MetricFact("other", "sha256:" + "ef".repeat(32), "accuracy", 0.99, 100)), reports(90, 100));
        Condition retention = condition(RULE.evaluate(new ReleaseEvidence(c, new Baseline.Parent(parent()))), "retention");
        assertFalse(retention.met());
        assertEquals("retention: no accuracy on heldout, an evaluation set of the parent", retention.reason());
    }

    @Test
    void firstVersionOfAPackageIsJudgedOnBenefitAndAutonomy() {
        Evaluation e = RULE.evaluate(new ReleaseEvidence(facts("train", "MIT", 5000, 0.5, 10, reports(90, 100)),
                new Baseline.None()));
        assertEquals(Status.PROMOTED, e.status(), e.conditions().toString());
        assertTrue(e.comparisons().isEmpty());
    }

    @Test
    void missingParentLeavesEfficiencyAndRetentionUnmet() {
        Evaluation e = RULE.evaluate(new ReleaseEvidence(facts("quantize", "MIT", 1000, 0.9, 600, reports(90, 100)),
                new Baseline.MissingParent("sha256:" + "00".repeat(32))));
        assertEquals(List.of("efficiency", "retention"), e.missing().stream().map(Condition::name).toList());
    }

    @Test
    void belowTheMinimumOnlyTheCountReachesTheRuleAndItsJson() {
        // 19 of 19 yes, each with a latency of 4321 ms, against a parent with plenty of faster latencies
        Reports few = latencies(19, 19, 19, 4321);
        assertFalse(few.shown());
        assertTrue(few.figures().isEmpty());
        assertTrue(few.latency().isEmpty());
        VersionFacts c = facts("distill", "MIT", 4000, 0.9, 600, few);
        VersionFacts base = facts("train", "MIT", 4000, 0.9, 600, latencies(40, 30, 40, 80));
        ReleaseEvidence evidence = new ReleaseEvidence(c, new Baseline.Parent(base));
        Evaluation e = RULE.evaluate(evidence);
        assertTrue(e.reports().isEmpty());
        Condition benefit = condition(e, "benefit");
        assertEquals("reports", benefit.measure());
        assertEquals(19, benefit.value());
        assertEquals("benefit: 19 reports, need 20", benefit.reason());
        Condition efficiency = condition(e, "efficiency");
        assertFalse(efficiency.reason().contains("latency 4321"), efficiency.reason());
        assertFalse(efficiency.met(), efficiency.reason());

        String json = ReleaseJson.evaluation(evidence, e, ReleasePolicy.defaults()).encode();
        io.vertx.core.json.JsonObject reports = ReleaseJson.evidence(evidence, e, ReleasePolicy.defaults())
                .getJsonObject("reports");
        assertEquals(java.util.Set.of("count", "minimum", "shown", "epsilon", "confidence"), reports.fieldNames());
        assertEquals(19L, reports.getLong("count"));
        assertEquals(false, reports.getBoolean("shown"));
        assertFalse(json.contains("4321"), json);
        assertFalse(json.contains("helpedYes"), json);
        assertFalse(json.contains("2026-11-"), json);
        // the parent's latencies may be shown: it has the minimum
        assertTrue(json.contains("\"latencyMedianMs\":80.0"), json);

        // one more report: everything shows, the latency saving (negative here) included
        Reports enough = latencies(20, 20, 20, 4321);
        ReleaseEvidence now = new ReleaseEvidence(facts("distill", "MIT", 4000, 0.9, 600, enough),
                new Baseline.Parent(base));
        Evaluation later = RULE.evaluate(now);
        assertTrue(later.reports().isPresent());
        assertTrue(condition(later, "efficiency").reason().contains("median latency 4321 ms against 80 ms"),
                condition(later, "efficiency").reason());
        io.vertx.core.json.JsonObject shown = ReleaseJson.evidence(now, later, ReleasePolicy.defaults())
                .getJsonObject("reports");
        assertEquals(20L, shown.getLong("helpedYes"));
        assertEquals(4321.0, shown.getDouble("latencyMedianMs"));
    }

    @Test
    void enoughReportsButTooFewLatenciesShowNoLatency() {
        Reports r = latencies(40, 30, 19, 4321);
        assertTrue(r.shown());
        assertTrue(r.latency().isEmpty());
        VersionFacts c = facts("distill", "MIT", 4000, 0.9, 600, r);
        VersionFacts base = facts("train", "MIT", 4000, 0.9, 600, latencies(40, 30, 40, 80));
        ReleaseEvidence evidence = new ReleaseEvidence(c, new Baseline.Parent(base));
        Evaluation e = RULE.evaluate(evidence);
        String json = ReleaseJson.evaluation(evidence, e, ReleasePolicy.defaults()).encode();
        assertFalse(json.contains("4321"), json);
        assertFalse(ReleaseJson.evidence(evidence, e, ReleasePolicy.defaults()).getJsonObject("reports")
                .containsKey("latencyCount"), json);
        // and a baseline with too few latencies is not compared by latency either
        Evaluation against = RULE.evaluate(new ReleaseEvidence(facts("distill", "MIT", 4000, 0.9, 600,
                latencies(40, 30, 40, 20)), new Baseline.Parent(facts("train", "MIT", 4000, 0.9, 600,
                latencies(40, 30, 19, 4321)))));
        assertFalse(condition(against, "efficiency").reason().contains("4321"), condition(against, "efficiency").reason());
    }

    @Test
    void reportsCannotCarryFiguresBelowTheirMinimum_norReachARuleOfAnotherMinimum() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new Reports(19, 20,
                Optional.of(new ReleaseEvidence.Figures(19, LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 1),
                        Optional.empty()))));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new Reports(40, 20,
                Optional.of(new ReleaseEvidence.Figures(30, LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 1),
                        Optional.of(new ReleaseEvidence.Latency(19, 4321))))));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new Reports(40, 20,
                Optional.empty()));
        Reports lower = Reports.of(5, 12, 12, Optional.of(LocalDate.of(2026, 11, 1)),
                Optional.of(LocalDate.of(2026, 11, 2)), 0, 0);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> RULE.evaluate(
                new ReleaseEvidence(facts("quantize", "MIT", 1000, 0.9, 600, lower), new Baseline.Parent(parent()))));
    }
}
