package dev.grove.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomizedResponseTest {

    private final RandomizedResponse rr = RandomizedResponse.standard();

    @Test
    void lnThreeKeepsThreeAnswersInFour() {
        assertThat(rr.keepProbability()).isCloseTo(0.75, within(1e-12));
        assertThat(rr.randomize(true, 0.7499)).isTrue();
        assertThat(rr.randomize(true, 0.7501)).isFalse();
        assertThat(rr.randomize(false, 0.9)).isTrue();
    }

    @Test
    void recoversTheTrueRateOfSimulatedHonestSenders() {
        SplittableRandom random = new SplittableRandom(42);
        int covered = 0;
        int runs = 200;
        for (int run = 0; run < runs; run++) {
            double trueRate = 0.1 + 0.8 * random.nextDouble();
            int n = 2_000;
            long yes = 0;
            for (int i = 0; i < n; i++) {
                if (rr.randomize(random.nextDouble() < trueRate, random.nextDouble())) {
                    yes++;
                }
            }
            Estimate e = rr.estimate95(yes, n);
            assertThat(e.low()).isLessThanOrEqualTo(e.value());
            assertThat(e.value()).isLessThanOrEqualTo(e.high());
            if (e.low() <= trueRate && trueRate <= e.high()) {
                covered++;
            }
        }
        // a 95% interval: with 200 runs, fewer than 180 covered would be a 1-in-10^4 event for a correct interval
        assertThat(covered).isGreaterThanOrEqualTo(180);
    }

    @Test
    void observedSharesMapBackThroughTheEstimator() {
        // 3/4 of answers kept: an observed share of 1/4 means nobody said yes, 3/4 means everybody did
        assertThat(rr.estimate95(250, 1000).value()).isCloseTo(0.0, within(1e-12));
        assertThat(rr.estimate95(750, 1000).value()).isCloseTo(1.0, within(1e-12));
        assertThat(rr.estimate95(500, 1000).value()).isCloseTo(0.5, within(1e-12));
        Estimate allYes = rr.estimate95(10, 10);
        assertThat(allYes.high()).isEqualTo(1.0);
        assertThat(allYes.low()).isLessThan(1.0).isGreaterThan(0.0);
    }

    @Test
    void refusesImpossibleCountsAndEpsilons() {
        assertThatThrownBy(() -> rr.estimate95(3, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rr.estimate95(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RandomizedResponse.withEpsilon(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> rr.randomize(true, 1.0)).isInstanceOf(IllegalArgumentException.class);
    }
}
