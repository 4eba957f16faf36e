package dev.grove.pkg;

import dev.grove.crypto.Sha256;
import dev.grove.json.JsonObject;
import dev.grove.semver.SemVer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The evaluation card ({@code evaluation.json}): measured metrics of the subject on datasets pinned by digest, with
 * optional breakdowns by factor (e.g. accuracy per language), so a reader can see where a model is weak.
 */
public record EvaluationCard(PackageName subjectName, SemVer subjectVersion, List<Evaluation> evaluations,
        JsonObject json) {
    public static final String SCHEMA = "grove.evaluation/v1";
    private static final Pattern METRIC_NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_.@/-]*$");

    public EvaluationCard {
        evaluations = Collections.unmodifiableList(new ArrayList<>(evaluations));
    }

    /** Metrics on one dataset. */
    public record Evaluation(String datasetName, Sha256 datasetDigest, List<Metric> metrics) {
        public Evaluation {
            metrics = Collections.unmodifiableList(new ArrayList<>(metrics));
        }
    }

    /** One metric; {@code breakdown} is empty when absent. */
    public record Metric(String name, double value, long samples, List<Breakdown> breakdown) {
        public Metric {
            breakdown = Collections.unmodifiableList(new ArrayList<>(breakdown));
        }
    }

    /** The metric restricted to one level of a factor. */
    public record Breakdown(String factor, String level, double value, long samples) {
    }

    /** @throws DocumentException with the JSON path of the first bad field */
    public static EvaluationCard parse(byte[] payload) {
        Node root = Node.root(payload);
        root.expectSchema(SCHEMA);
        root.only("schema", "subject", "evaluations");
        Node subject = root.object("subject").only("name", "version");
        PackageName name = subject.packageName("name");
        SemVer version = subject.semver("version");
        List<Evaluation> evaluations = new ArrayList<>();
        for (Node e : root.atMost("evaluations", root.objects("evaluations"), 64)) {
            e.only("dataset", "metrics");
            Node dataset = e.object("dataset").only("name", "digest");
            String datasetName = dataset.text("name", 128);
            Sha256 datasetDigest = dataset.digest("digest");
            List<Metric> metrics = new ArrayList<>();
            for (Node m : e.atMost("metrics", e.nonEmpty("metrics", e.objects("metrics")), 64)) {
                m.only("name", "value", "samples", "breakdown");
                String metricName = m.matching("name", METRIC_NAME, 64);
                double value = m.finiteNumber("value");
                long samples = m.positive("samples");
                List<Breakdown> breakdown = new ArrayList<>();
                for (Node b : m.atMost("breakdown", m.optObjects("breakdown"), 4096)) {
                    b.only("factor", "level", "value", "samples");
                    breakdown.add(new Breakdown(b.text("factor", 128), b.text("level", 128), b.finiteNumber("value"),
                            b.positive("samples")));
                }
                metrics.add(new Metric(metricName, value, samples, breakdown));
            }
            evaluations.add(new Evaluation(datasetName, datasetDigest, metrics));
        }
        return new EvaluationCard(name, version, evaluations, root.json());
    }
}
