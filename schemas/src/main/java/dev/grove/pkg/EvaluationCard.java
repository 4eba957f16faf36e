package dev.grove.pkg;

import dev.grove.crypto.Sha256;
import dev.grove.json.JsonObject;
import dev.grove.semver.SemVer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The evaluation card ({@code evaluation.json}): measured metrics of the subject on datasets pinned by digest, with
 * optional breakdowns by factor (e.g. accuracy per language), so a reader can see where a model is weak.
 */
public record EvaluationCard(PackageName subjectName, SemVer subjectVersion, List<Evaluation> evaluations,
        JsonObject json) {
    public static final String SCHEMA = "grove.evaluation/v1";

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
        Node subject = root.object("subject");
        PackageName name = subject.packageName("name");
        SemVer version = subject.semver("version");
        List<Evaluation> evaluations = new ArrayList<>();
        for (Node e : root.objects("evaluations")) {
            Node dataset = e.object("dataset");
            String datasetName = dataset.nonEmptyString("name");
            Sha256 datasetDigest = dataset.digest("digest");
            List<Metric> metrics = new ArrayList<>();
            for (Node m : e.objects("metrics")) {
                String metricName = m.nonEmptyString("name");
                double value = m.finiteNumber("value");
                long samples = m.nonNegative("samples");
                List<Breakdown> breakdown = new ArrayList<>();
                for (Node b : m.optObjects("breakdown")) {
                    breakdown.add(new Breakdown(b.nonEmptyString("factor"), b.string("level"), b.finiteNumber("value"),
                            b.nonNegative("samples")));
                }
                metrics.add(new Metric(metricName, value, samples, breakdown));
            }
            evaluations.add(new Evaluation(datasetName, datasetDigest, metrics));
        }
        return new EvaluationCard(name, version, evaluations, root.json());
    }
}
