package dev.grove.node.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.node.release.Evaluation.Condition;
import dev.grove.node.release.ReleaseEvidence.ArtifactFact;
import dev.grove.node.release.ReleaseEvidence.Baseline;
import dev.grove.node.release.ReleaseEvidence.MetricFact;
import dev.grove.node.release.ReleaseEvidence.Reports;
import dev.grove.node.release.ReleaseEvidence.VersionFacts;
import dev.grove.pkg.Artifact;
import dev.grove.pkg.Contract;
import dev.grove.pkg.EvaluationCard;
import dev.grove.pkg.LineageCard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The rule on the committed garden's real cards, each child against its parent {@code garden/langid}, with the same
 * simulated reports (32 of 40 randomized "helped" answers yes): what the default policy would decide about each.
 */
class GardenReleaseTest {

    static final Path GARDEN = Path.of("..", "examples", "garden");
    static final long MINIMUM = 20;
    static final ReleaseRule RULE = new ReleaseRule(ReleasePolicy.defaults(), MINIMUM);
    static final Reports POSITIVE = Reports.of(MINIMUM, 40, 32, Optional.of(LocalDate.of(2026, 11, 1)),
            Optional.of(LocalDate.of(2026, 11, 10)), 0, 0);

    static VersionFacts facts(String dir, Reports reports) throws IOException {
        Contract c = Contract.parse(Files.readAllBytes(GARDEN.resolve(dir).resolve("grove.json")));
        LineageCard l = LineageCard.parse(Files.readAllBytes(GARDEN.resolve(dir).resolve("lineage.json")));
        EvaluationCard e = EvaluationCard.parse(Files.readAllBytes(GARDEN.resolve(dir).resolve("evaluation.json")));
        List<ArtifactFact> artifacts = new ArrayList<>();
        for (Artifact a : c.artifacts()) {
            artifacts.add(new ArtifactFact(a.path(), a.mediaType(), Files.exists(GARDEN.resolve(dir).resolve(a.path()))));
        }
        List<MetricFact> metrics = new ArrayList<>();
        for (EvaluationCard.Evaluation ev : e.evaluations()) {
            for (EvaluationCard.Metric m : ev.metrics()) {
                metrics.add(new MetricFact(ev.datasetName(), ev.datasetDigest().toString(), m.name(), m.value(), m.samples()));
            }
        }
        return new VersionFacts("sha256:" + dir, c.name() + "@" + c.version(), l.operator().wireName(), c.license(),
                c.bytes(), c.parameters(), artifacts, metrics, reports);
    }

    static Evaluation againstLangid(String child) throws IOException {
        return RULE.evaluate(new ReleaseEvidence(facts(child, POSITIVE),
                new Baseline.Parent(facts("langid", Reports.none(MINIMUM)))));
    }

    static List<String> missing(Evaluation e) {
        return e.missing().stream().map(Condition::name).toList();
    }

    @Test
    void theQuantizedChildIsPromotable() throws IOException {
        Evaluation e = againstLangid("langid-int8");
        assertThat(e.status()).as(e.conditions().toString()).isEqualTo(Status.PROMOTED);
        assertThat(e.conditions().get(2).reason()).isEqualTo("efficiency: 263048 bytes against 1049756, 262374 "
                + "parameters against 262347 of the parent; saves 74.9% in bytes");
        assertThat(e.conditions().get(3).reason()).isEqualTo("retention: no drop on the 1 metric of the parent");
    }

    /** Distilled from 87038 varied lines, the half-width student keeps its teacher's held-out accuracy. */
    @Test
    void theDistilledChildRetainsAtHalfTheBytes() throws IOException {
        Evaluation e = againstLangid("langid-small");
        assertThat(missing(e)).isEmpty();
        assertThat(e.conditions().get(3).reason()).isEqualTo("retention: no drop on the 1 metric of the parent");
    }

    @Test
    void thePrunedChildSavesNothingStoredDenseAndForgets() throws IOException {
        Evaluation e = againstLangid("langid-pruned");
        assertThat(missing(e)).containsExactly("efficiency", "retention");
    }

    @Test
    void theFineTuneMustGainAndRetain() throws IOException {
        Evaluation e = againstLangid("langid-nordic");
        assertThat(missing(e)).containsExactly("benefit", "efficiency");
        assertThat(e.conditions().get(3).reason())
                .isEqualTo("retention: accuracy on langid-heldout.tsv dropped 0.0022, within bound 0.02");
        assertThat(e.conditions().get(0).measure()).isEqualTo("evaluation-gain-low");
    }
}
