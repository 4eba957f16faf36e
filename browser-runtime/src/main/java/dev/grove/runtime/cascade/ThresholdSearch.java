package dev.grove.runtime.cascade;

import dev.grove.pkg.CascadeRule;
import dev.grove.runtime.train.Evaluation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;

/**
 * Chooses a cascade's thresholds on validation data: of every combination on a grid of candidate thresholds, the one
 * with the lowest mean cost whose accuracy is at most {@code target} below the last (largest) member's accuracy on the
 * same data; ties go to the more accurate, then to the lower thresholds. Candidates are the members' own scores on the
 * data, rounded down to a multiple of 2<sup>-16</sup> (so that each is a float with a short exact decimal, read back
 * alike by every runtime), and 1; with many distinct scores the grid is thinned evenly ({@link #MAX_GRID} for two
 * members, fewer per member for more). Deterministic: the same inputs give the same thresholds.
 */
public final class ThresholdSearch {
    /** Threshold grid step: 2^-16. */
    static final float STEP = 1f / 65536;
    /** At most this many combinations are tried; with three or more members each grid is thinned to fit. */
    static final long MAX_COMBINATIONS = 250_000;
    /** At most this many candidate thresholds for a two-member cascade (evenly thinned from its distinct scores). */
    static final int MAX_GRID = 4096;

    private ThresholdSearch() {
    }

    /**
     * What was chosen, as measured on the validation data.
     *
     * @param answered how many samples each member answered
     */
    public record Choice(List<Float> thresholds, int correct, int largestCorrect, int samples, double meanCost,
                         int[] answered) {
        public Choice {
            thresholds = Collections.unmodifiableList(new ArrayList<>(thresholds));
            answered = answered.clone();
        }

        public double accuracy() {
            return (double) correct / samples;
        }

        public double largestAccuracy() {
            return (double) largestCorrect / samples;
        }

        @Override
        public int[] answered() {
            return answered.clone();
        }
    }

    /**
     * @param probabilities per member, its probabilities for each validation sample
     * @param labels        the true class of each sample
     * @param cost          per member, what consulting it costs on each sample (bytes, or multiply-adds)
     * @param target        the largest accepted accuracy loss against the last member, e.g. 0.003
     * @throws IllegalArgumentException when no combination keeps the accuracy within the target (saying how close the
     *     best one came)
     */
    public static Choice search(CascadeRule rule, List<float[][]> probabilities, int[] labels, long[][] cost,
                                double target) {
        int n = probabilities.size();
        int samples = labels.length;
        if (n < 2 || cost.length != n || samples == 0) {
            throw new IllegalArgumentException("a search needs two or more members with costs, and samples");
        }
        float[][] score = new float[n][samples];
        boolean[][] correct = new boolean[n][samples];
        for (int i = 0; i < n; i++) {
            float[][] p = probabilities.get(i);
            for (int s = 0; s < samples; s++) {
                score[i][s] = rule.score(p[s]);
                correct[i][s] = Evaluation.argmax(p[s]) == labels[s];
            }
        }
        int largestCorrect = 0;
        for (int s = 0; s < samples; s++) {
            largestCorrect += correct[n - 1][s] ? 1 : 0;
        }
        int need = largestCorrect - (int) Math.floor(target * samples + 1e-9);

        float[][] grids = new float[n - 1][];
        // each combination is one pass over the data: bounded so that a large validation set stays seconds, not hours
        int per = n == 2 ? MAX_GRID : (int) Math.max(2, Math.floor(Math.pow(MAX_COMBINATIONS, 1.0 / (n - 1))));
        for (int i = 0; i < n - 1; i++) {
            grids[i] = grid(score[i], per);
        }
        Search search = new Search(score, correct, cost, grids, need);
        search.walk(0, new float[n - 1]);
        if (search.best == null) {
            throw new IllegalArgumentException("no thresholds keep the validation accuracy within " + target
                    + " of the last member's " + fraction(largestCorrect, samples) + " (the most accurate combination "
                    + "reaches " + fraction(search.closest, samples) + "): the smaller members are wrong with too much "
                    + "confidence; allow a larger --target or choose other members");
        }
        List<Float> thresholds = new ArrayList<>();
        for (float t : search.best) {
            thresholds.add(t);
        }
        return new Choice(thresholds, search.bestCorrect, largestCorrect, samples, search.bestCost / samples,
                search.bestAnswered);
    }

    private static String fraction(int correct, int samples) {
        return String.format(java.util.Locale.ROOT, "%.4f", (double) correct / samples);
    }

    /** The distinct scores rounded down to the step, and 1, ascending; thinned to {@code per} evenly spaced ones. */
    static float[] grid(float[] scores, int per) {
        TreeSet<Float> distinct = new TreeSet<>();
        for (float s : scores) {
            distinct.add((float) Math.floor(s / STEP) * STEP);
        }
        distinct.add(1f);
        List<Float> all = new ArrayList<>(distinct);
        int k = Math.min(per, all.size());
        float[] out = new float[k];
        for (int j = 0; j < k; j++) {
            out[j] = all.get(k == 1 ? all.size() - 1 : (int) ((long) j * (all.size() - 1) / (k - 1)));
        }
        return out;
    }

    private static final class Search {
        final float[][] score;
        final boolean[][] correct;
        final long[][] cost;
        final float[][] grids;
        final int need;
        float[] best;
        int bestCorrect = -1;
        double bestCost = Double.POSITIVE_INFINITY;
        int[] bestAnswered;
        int closest;

        Search(float[][] score, boolean[][] correct, long[][] cost, float[][] grids, int need) {
            this.score = score;
            this.correct = correct;
            this.cost = cost;
            this.grids = grids;
            this.need = need;
        }

        void walk(int depth, float[] thresholds) {
            if (depth == grids.length) {
                evaluate(thresholds);
                return;
            }
            for (float t : grids[depth]) {
                thresholds[depth] = t;
                walk(depth + 1, thresholds);
            }
        }

        void evaluate(float[] t) {
            int n = score.length;
            int samples = score[0].length;
            int right = 0;
            double total = 0;
            int[] answered = new int[n];
            for (int s = 0; s < samples; s++) {
                for (int i = 0; i < n; i++) {
                    total += cost[i][s];
                    if (i == n - 1 || score[i][s] >= t[i]) {
                        right += correct[i][s] ? 1 : 0;
                        answered[i]++;
                        break;
                    }
                }
            }
            closest = Math.max(closest, right);
            if (right < need) {
                return;
            }
            if (total < bestCost || (total == bestCost && right > bestCorrect)) {
                best = t.clone();
                bestCost = total;
                bestCorrect = right;
                bestAnswered = answered;
            }
        }
    }
}
