package dev.grove.runtime.train;

import dev.grove.runtime.model.Model;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A model measured on labelled held-out data through the runtime's own inference ({@link Model#predict}): accuracy
 * overall and per label. The predicted class is the highest probability, the first one on a tie.
 */
public final class Evaluation {
    private final List<String> labels;
    private final int[] correct;
    private final int[] samples;
    private final int[] predictions;

    private Evaluation(List<String> labels, int[] correct, int[] samples, int[] predictions) {
        this.labels = Collections.unmodifiableList(new ArrayList<>(labels));
        this.correct = correct;
        this.samples = samples;
        this.predictions = predictions;
    }

    public static Evaluation of(Model model, Dataset data) {
        if (model.architecture().classes() != data.labels().size()) {
            throw new IllegalArgumentException("the model has " + model.architecture().classes() + " classes, the data "
                    + data.labels().size() + " labels");
        }
        int n = data.labels().size();
        int[] correct = new int[n];
        int[] samples = new int[n];
        int[] predictions = new int[data.size()];
        for (int i = 0; i < data.size(); i++) {
            int y = data.label(i);
            int p = argmax(model.predict(data.text(i)));
            predictions[i] = p;
            samples[y]++;
            if (p == y) {
                correct[y]++;
            }
        }
        return new Evaluation(data.labels(), correct, samples, predictions);
    }

    /** The evaluation of predictions made elsewhere (a cascade's answers), one class index per sample of {@code data}. */
    public static Evaluation of(Dataset data, int[] predictions) {
        if (predictions.length != data.size()) {
            throw new IllegalArgumentException(predictions.length + " predictions for " + data.size() + " samples");
        }
        int n = data.labels().size();
        int[] correct = new int[n];
        int[] samples = new int[n];
        for (int i = 0; i < data.size(); i++) {
            int y = data.label(i);
            samples[y]++;
            if (predictions[i] == y) {
                correct[y]++;
            }
        }
        return new Evaluation(data.labels(), correct, samples, predictions.clone());
    }

    /** Index of the largest value, the first on a tie. */
    public static int argmax(float[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    public List<String> labels() {
        return labels;
    }

    public int samples() {
        int n = 0;
        for (int s : samples) {
            n += s;
        }
        return n;
    }

    public int correct() {
        int n = 0;
        for (int c : correct) {
            n += c;
        }
        return n;
    }

    public double accuracy() {
        return samples() == 0 ? 0 : (double) correct() / samples();
    }

    public int samples(int label) {
        return samples[label];
    }

    public double accuracy(int label) {
        return samples[label] == 0 ? 0 : (double) correct[label] / samples[label];
    }

    /** The predicted class of each sample, in data order. */
    public int[] predictions() {
        return predictions.clone();
    }

    /** How two models compare on the same texts: agreement of predicted classes and the largest probability gap. */
    public record Distance(double agreement, double maxAbsProbabilityDifference, int samples) {
    }

    public static Distance distance(Model a, Model b, Dataset data) {
        int agree = 0;
        double max = 0;
        for (int i = 0; i < data.size(); i++) {
            float[] pa = a.predict(data.text(i));
            float[] pb = b.predict(data.text(i));
            if (argmax(pa) == argmax(pb)) {
                agree++;
            }
            for (int j = 0; j < pa.length; j++) {
                max = Math.max(max, Math.abs(pa[j] - pb[j]));
            }
        }
        return new Distance(data.size() == 0 ? 1 : (double) agree / data.size(), max, data.size());
    }
}
