package dev.grove.runtime.cascade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.pkg.CascadeRule;
import dev.grove.runtime.model.Architecture;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Threshold choice on small hand-made validation data whose best answer can be worked out by hand. */
class ThresholdSearchTest {
    /** Two classes; the small member is right when sure (0.9, 0.8) and wrong when unsure (0.6); the large always right. */
    static final float[][] SMALL = {{0.9f, 0.1f}, {0.2f, 0.8f}, {0.6f, 0.4f}, {0.95f, 0.05f}};
    static final float[][] LARGE = {{0.7f, 0.3f}, {0.1f, 0.9f}, {0.3f, 0.7f}, {0.8f, 0.2f}};
    static final int[] LABELS = {0, 1, 1, 0};
    static final long[][] BYTES = {{10, 10, 10, 10}, {100, 100, 100, 100}};

    @Test
    void choosesTheCheapestThresholdThatKeepsTheLargestMembersAccuracy() {
        ThresholdSearch.Choice c = ThresholdSearch.search(CascadeRule.TOP_PROBABILITY, List.of(SMALL, LARGE), LABELS,
                BYTES, 0);
        // 0.6 would let the wrong answer through; the next candidate up, 0.8 rounded down to the grid, escalates it only
        assertThat(c.thresholds()).hasSize(1);
        assertThat(c.thresholds().get(0)).isGreaterThan(0.6f).isLessThanOrEqualTo(0.8f);
        assertThat(c.correct()).isEqualTo(4);
        assertThat(c.largestCorrect()).isEqualTo(4);
        assertThat(c.answered()).containsExactly(3, 1);
        assertThat(c.meanCost()).isEqualTo((10 * 4 + 100) / 4.0);
    }

    @Test
    void aLooserTargetBuysACheaperCascade() {
        ThresholdSearch.Choice c = ThresholdSearch.search(CascadeRule.TOP_PROBABILITY, List.of(SMALL, LARGE), LABELS,
                BYTES, 0.25);
        assertThat(c.answered()).containsExactly(4, 0);
        assertThat(c.correct()).isEqualTo(3);
        assertThat(c.meanCost()).isEqualTo(10.0);
    }

    /** Three members: the middle one takes what the small one is unsure of, so the large one is asked least. */
    @Test
    void threeMembersEscalateOnlyAsFarAsNeeded() {
        float[][] middle = {{0.9f, 0.1f}, {0.1f, 0.9f}, {0.2f, 0.8f}, {0.9f, 0.1f}};
        ThresholdSearch.Choice c = ThresholdSearch.search(CascadeRule.TOP_PROBABILITY, List.of(SMALL, middle, LARGE),
                LABELS, new long[][] {{10, 10, 10, 10}, {40, 40, 40, 40}, {100, 100, 100, 100}}, 0);
        assertThat(c.correct()).isEqualTo(4);
        assertThat(c.answered()).containsExactly(3, 1, 0);
        assertThat(c.meanCost()).isEqualTo((4 * 10 + 40) / 4.0);
        assertThat(c.thresholds()).hasSize(2);
    }

    /** Many distinct scores: the grid keeps the lowest and 1 and thins evenly between, so a search stays bounded. */
    @Test
    void aLargeGridIsThinnedEvenly() {
        float[] scores = new float[10_000];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = 0.1f + 0.8f * i / scores.length;
        }
        float[] grid = ThresholdSearch.grid(scores, 5);
        assertThat(grid).hasSize(5);
        assertThat(grid[0]).isEqualTo((float) Math.floor(0.1f / ThresholdSearch.STEP) * ThresholdSearch.STEP);
        assertThat(grid[4]).isEqualTo(1f);
        for (int i = 1; i < grid.length; i++) {
            assertThat(grid[i]).isGreaterThan(grid[i - 1]);
        }
        assertThat(ThresholdSearch.grid(scores, ThresholdSearch.MAX_GRID)).hasSize(ThresholdSearch.MAX_GRID);
    }

    @Test
    void thresholdsAreOnTheGridSoEveryRuntimeReadsThemAlike() {
        ThresholdSearch.Choice c = ThresholdSearch.search(CascadeRule.MARGIN, List.of(SMALL, LARGE), LABELS, BYTES, 0);
        float t = c.thresholds().get(0);
        assertThat(t * 65536).isEqualTo((float) Math.floor(t * 65536));
        assertThat(Float.parseFloat(new java.math.BigDecimal(t).toPlainString())).isEqualTo(t);
    }

    @Test
    void refusesWhenNoThresholdKeepsTheAccuracy() {
        // the small member is sure and wrong: no threshold below 1 escalates it, and 1 is not reached
        float[][] sureAndWrong = {{1f, 0f}, {1f, 0f}};
        assertThatThrownBy(() -> ThresholdSearch.search(CascadeRule.TOP_PROBABILITY, List.of(sureAndWrong,
                new float[][] {{1f, 0f}, {0f, 1f}}), new int[] {0, 1}, new long[][] {{1, 1}, {2, 2}}, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no thresholds keep the validation accuracy within 0.0 of the last member's "
                        + "1.0000 (the most accurate combination reaches 0.5000)");
    }

    @Test
    void multiplyAddsOfAnMlpAreItsDenseLayers() throws Exception {
        Architecture mlp = Architecture.fromConfig(Map.of("architecture", "mlp", "buckets", "1024", "hidden", "16",
                "classes", "10"));
        assertThat(new MemberCost(1, 1, mlp).multiplyAdds("any text")).isEqualTo(1024 * 16 + 16 * 10);
    }
}
