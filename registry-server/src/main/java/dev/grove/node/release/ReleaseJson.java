package dev.grove.node.release;

import dev.grove.node.release.Evaluation.Comparison;
import dev.grove.node.release.Evaluation.Condition;
import dev.grove.node.release.Evaluation.Interval;
import dev.grove.node.release.ReleaseEvidence.VersionFacts;
import dev.grove.reports.RandomizedResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The JSON of an evaluation: the same {@code conditions} and {@code evidence} members in the signed decision payload,
 * the stored evaluation a version document shows, and {@code GET .../release} (docs/protocol.md, "Release").
 */
final class ReleaseJson {

    private ReleaseJson() {
    }

    /** {@code {"status","conditions","missing","evidence"}}. */
    static JsonObject evaluation(ReleaseEvidence evidence, Evaluation e, ReleasePolicy policy) {
        return new JsonObject()
                .put("status", e.status().wireName())
                .put("conditions", conditions(e))
                .put("missing", new JsonArray(e.missing().stream().map(Condition::name).toList()))
                .put("evidence", evidence(evidence, e, policy));
    }

    static JsonArray conditions(Evaluation e) {
        JsonArray out = new JsonArray();
        for (Condition c : e.conditions()) {
            out.add(new JsonObject()
                    .put("name", c.name())
                    .put("met", c.met())
                    .put("measure", c.measure())
                    .put("value", c.value())
                    .put("bound", c.bound())
                    .put("reason", c.reason()));
        }
        return out;
    }

    static JsonObject policy(ReleasePolicy p, long minimumReports) {
        return new JsonObject()
                .put("minReports", minimumReports)
                .put("minAutonomy", p.minAutonomy())
                .put("maxAutonomy", ReleaseRule.MAX_AUTONOMY)
                .put("retentionBound", p.retentionBound())
                .put("confidence", p.confidence());
    }

    /**
     * The aggregate evidence as numbers a page can chart: the baseline, the reports' estimate, each shared evaluation
     * set (baseline against candidate, with intervals) and the resources of both. Of the reports, below their minimum
     * only {@code count}, {@code minimum} and {@code shown: false}: the figures are not in {@link ReleaseEvidence.Reports}
     * then, and the latency is not there below the minimum of measured latencies.
     */
    static JsonObject evidence(ReleaseEvidence evidence, Evaluation e, ReleasePolicy policy) {
        VersionFacts c = evidence.candidate();
        JsonObject baseline = new JsonObject().put("relation", evidence.baseline().relation());
        evidence.baseline().held().ifPresent(b -> baseline.put("digest", b.digest()).put("ref", b.ref()));
        if (evidence.baseline() instanceof ReleaseEvidence.Baseline.MissingParent m) {
            baseline.put("digest", m.digest());
        }
        ReleaseEvidence.Reports r = c.reports();
        JsonObject reports = new JsonObject()
                .put("count", r.count())
                .put("minimum", r.minimum())
                .put("shown", r.shown())
                .put("epsilon", RandomizedResponse.standard().epsilon())
                .put("confidence", policy.confidence());
        r.figures().ifPresent(f -> reports.put("helpedYes", f.helpedYes()));
        e.reports().ifPresent(f -> reports.put("helped", interval(f.helped())).put("netHelp", interval(f.netHelp())));
        r.figures().ifPresent(f -> reports.put("firstDay", f.firstDay().toString()).put("lastDay", f.lastDay().toString()));
        r.latency().ifPresent(l -> reports.put("latencyCount", l.count()).put("latencyMedianMs", l.medianMs()));
        JsonArray evaluations = new JsonArray();
        for (Comparison cmp : e.comparisons()) {
            evaluations.add(new JsonObject()
                    .put("dataset", cmp.dataset())
                    .put("datasetDigest", cmp.datasetDigest())
                    .put("metric", cmp.metric())
                    .put("baseline", interval(cmp.baseline()).put("samples", cmp.baselineSamples()))
                    .put("candidate", interval(cmp.candidate()).put("samples", cmp.candidateSamples()))
                    .put("difference", interval(cmp.difference())));
        }
        JsonObject resources = new JsonObject().put("candidate", resources(c));
        evidence.baseline().held().ifPresent(b -> resources.put("baseline", resources(b)));
        return new JsonObject()
                .put("baseline", baseline)
                .put("reports", reports)
                .put("evaluations", evaluations)
                .put("resources", resources);
    }

    /** Bytes and parameters, and the median latency when the version's reports may show it. */
    private static JsonObject resources(VersionFacts f) {
        JsonObject out = new JsonObject().put("bytes", f.bytes()).put("parameters", f.parameters());
        f.reports().latency().ifPresent(l -> out.put("latencyMedianMs", l.medianMs()).put("latencyCount", l.count()));
        return out;
    }

    private static JsonObject interval(Interval i) {
        return new JsonObject().put("value", i.value()).put("low", i.low()).put("high", i.high());
    }
}
