package dev.grove.runtime.train;

import dev.grove.runtime.model.Mlp;
import dev.grove.runtime.model.ModelException;
import dev.grove.runtime.model.WeightFormat;
import dev.grove.runtime.ops.Activation;
import dev.grove.runtime.ops.HashedNgrams;
import dev.grove.runtime.ops.Softmax;
import dev.grove.runtime.safetensors.SafetensorsException;
import dev.grove.runtime.safetensors.SafetensorsFile;
import dev.grove.runtime.safetensors.SafetensorsWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Trains the float weights of an {@link Mlp} (hashed n-gram features, dense layers, ReLU or tanh between them) with
 * softmax cross-entropy and Adam (beta1 0.9, beta2 0.999, epsilon 1e-8, bias-corrected; fresh moments for every call of
 * {@code train}).
 *
 * <p><b>Determinism.</b> No threads; every sum runs in a fixed order (samples in mini-batch order, n-gram buckets in
 * increasing index, outputs in index order); the softmax is the runtime's {@link Softmax} (with its deterministic exp);
 * the only other functions are {@code Math.sqrt} (correctly rounded) and, for the reported loss only,
 * {@code StrictMath.log}. Initial weights come from {@code java.util.Random(seed)}; the mini-batch order of each epoch from
 * a Fisher–Yates shuffle driven by {@code java.util.Random(seed ^ 0x9E3779B97F4A7C15L)}. So the same weights, data,
 * options and seed give byte-identical results on every JVM.
 *
 * <p><b>Soft targets.</b> With temperature {@code T}, the loss of a sample is {@code T² · CE(t, softmax(z / T))} for a
 * target distribution {@code t} (Hinton et al., "Distilling the knowledge in a neural network"), whose gradient with
 * respect to the logits is {@code T · (softmax(z / T) − t)}; for hard labels {@code t} is one-hot and {@code T = 1}.
 */
public final class MlpTrainer {
    static final float BETA1 = 0.9f;
    static final float BETA2 = 0.999f;
    static final float EPSILON = 1e-8f;
    static final long SHUFFLE_SALT = 0x9E3779B97F4A7C15L;

    private final Mlp mlp;
    final HashedNgrams features;
    private final float[][] w;
    private final float[][] b;

    // package-private: LoraTrainer runs the same forward and backward pass over its own (merged) weights
    MlpTrainer(Mlp mlp, float[][] w, float[][] b) {
        this.mlp = mlp;
        this.features = mlp.features();
        this.w = w;
        this.b = b;
    }

    /**
     * Fresh weights: layer {@code i}'s matrix uniform in {@code ±sqrt(6 / (fan_in_eff + fan_out))} where the effective
     * fan-in of the first layer is 1 (its input is an L2-normalised vector) and of the others their width; biases zero.
     * Values are drawn layer by layer, row-major, from {@code java.util.Random(seed)}.
     */
    public static MlpTrainer initialise(Mlp mlp, long seed) throws ModelException {
        check(mlp);
        Random random = new Random(seed);
        float[][] w = new float[mlp.layerCount()][];
        float[][] b = new float[mlp.layerCount()][];
        for (int l = 0; l < w.length; l++) {
            int in = mlp.layerIn(l);
            int out = mlp.layerOut(l);
            int fanIn = l == 0 ? 1 : in;
            float bound = (float) Math.sqrt(6.0 / (fanIn + out));
            w[l] = new float[in * out];
            for (int i = 0; i < w[l].length; i++) {
                w[l][i] = (random.nextFloat() * 2f - 1f) * bound;
            }
            b[l] = new float[out];
        }
        return new MlpTrainer(mlp, w, b);
    }

    /** Continues from existing float weights (fine-tuning, or a teacher's architecture for a student). */
    public static MlpTrainer from(Mlp mlp, SafetensorsFile weights) throws ModelException {
        check(mlp);
        float[][] w = new float[mlp.layerCount()][];
        float[][] b = new float[mlp.layerCount()][];
        try {
            for (int l = 0; l < w.length; l++) {
                w[l] = weights.floats("dense" + l + ".weight");
                b[l] = weights.floats("dense" + l + ".bias");
                if (w[l].length != mlp.layerIn(l) * mlp.layerOut(l) || b[l].length != mlp.layerOut(l)) {
                    throw new ModelException("dense" + l + " does not have the shape the architecture expects");
                }
            }
        } catch (SafetensorsException e) {
            throw new ModelException(e.getMessage(), e);
        }
        return new MlpTrainer(mlp, w, b);
    }

    private static void check(Mlp mlp) throws ModelException {
        if (mlp.weights() != WeightFormat.F32) {
            throw new ModelException("training needs float weights (weights=f32), not " + mlp.weights().configName());
        }
        if (mlp.activation() == Activation.GELU) {
            throw new ModelException("training supports the relu and tanh activations, not gelu");
        }
    }

    public Mlp architecture() {
        return mlp;
    }

    /** Trains on hard labels; the dataset's labels must match the architecture's classes. */
    public TrainingResult train(Dataset data, TrainingOptions options, TrainingProgress progress) {
        if (data.labels().size() != mlp.classes()) {
            throw new IllegalArgumentException("the data has " + data.labels().size() + " labels but the model "
                    + mlp.classes() + " classes");
        }
        float[][] targets = new float[data.size()][];
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            targets[i] = new float[mlp.classes()];
            targets[i][data.label(i)] = 1f;
            texts.add(data.text(i));
        }
        return train(texts, targets, options, progress);
    }

    /** Trains on target distributions (one per text, each of {@code classes} values summing to 1). */
    public TrainingResult train(List<String> texts, float[][] targets, TrainingOptions options,
                                TrainingProgress progress) {
        if (texts.size() != targets.length || texts.isEmpty()) {
            throw new IllegalArgumentException("need one target per text and at least one text, got " + texts.size()
                    + " texts and " + targets.length + " targets");
        }
        int layers = w.length;
        int[][] idx = new int[texts.size()][];
        float[][] val = new float[texts.size()][];
        for (int s = 0; s < texts.size(); s++) {
            if (targets[s].length != mlp.classes()) {
                throw new IllegalArgumentException("target " + s + " has " + targets[s].length + " values, expected "
                        + mlp.classes());
            }
            sparse(features.features(texts.get(s)), s, idx, val);
        }
        float[][] gw = new float[layers][];
        float[][] gb = new float[layers][];
        float[][] mw = new float[layers][];
        float[][] vw = new float[layers][];
        float[][] mb = new float[layers][];
        float[][] vb = new float[layers][];
        for (int l = 0; l < layers; l++) {
            gw[l] = new float[w[l].length];
            gb[l] = new float[b[l].length];
            mw[l] = new float[w[l].length];
            vw[l] = new float[w[l].length];
            mb[l] = new float[b[l].length];
            vb[l] = new float[b[l].length];
        }
        Random order = new Random(options.seed() ^ SHUFFLE_SALT);
        int[] perm = new int[texts.size()];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        float t = options.temperature();
        double beta1Power = 1.0;
        double beta2Power = 1.0;
        double lastLoss = Double.NaN;
        double lastAccuracy = Double.NaN;
        for (int epoch = 1; epoch <= options.epochs(); epoch++) {
            for (int i = perm.length - 1; i > 0; i--) {
                int j = order.nextInt(i + 1);
                int tmp = perm[i];
                perm[i] = perm[j];
                perm[j] = tmp;
            }
            double lossSum = 0;
            int correct = 0;
            for (int start = 0; start < perm.length; start += options.batchSize()) {
                int end = Math.min(perm.length, start + options.batchSize());
                for (int l = 0; l < layers; l++) {
                    java.util.Arrays.fill(gw[l], 0f);
                    java.util.Arrays.fill(gb[l], 0f);
                }
                for (int k = start; k < end; k++) {
                    int s = perm[k];
                    Step step = forwardBackward(idx[s], val[s], targets[s], t, gw, gb);
                    lossSum += step.loss;
                    if (step.correct) {
                        correct++;
                    }
                }
                float inv = 1f / (end - start);
                beta1Power *= BETA1;
                beta2Power *= BETA2;
                float c1 = (float) (1.0 - beta1Power);
                float c2 = (float) (1.0 - beta2Power);
                float lr = options.learningRate();
                for (int l = 0; l < layers; l++) {
                    adam(w[l], gw[l], mw[l], vw[l], inv, c1, c2, lr);
                    adam(b[l], gb[l], mb[l], vb[l], inv, c1, c2, lr);
                }
            }
            lastLoss = lossSum / perm.length;
            lastAccuracy = (double) correct / perm.length;
            progress.epoch(epoch, options.epochs(), lastLoss, lastAccuracy);
        }
        return new TrainingResult(options.epochs(), lastLoss, lastAccuracy, texts.size());
    }

    /** Loss and accuracy figures of the last epoch. */
    public record TrainingResult(int epochs, double loss, double accuracy, int samples) {
    }

    record Step(double loss, boolean correct) {
    }

    static void adam(float[] p, float[] g, float[] m, float[] v, float inv, float c1, float c2, float lr) {
        for (int i = 0; i < p.length; i++) {
            float gi = g[i] * inv;
            m[i] = BETA1 * m[i] + (1f - BETA1) * gi;
            v[i] = BETA2 * v[i] + (1f - BETA2) * (gi * gi);
            float mHat = m[i] / c1;
            float vHat = v[i] / c2;
            p[i] = p[i] - lr * mHat / ((float) Math.sqrt(vHat) + EPSILON);
        }
    }

    static void sparse(float[] x, int s, int[][] idx, float[][] val) {
        int n = 0;
        for (float f : x) {
            if (f != 0f) {
                n++;
            }
        }
        idx[s] = new int[n];
        val[s] = new float[n];
        int k = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] != 0f) {
                idx[s][k] = i;
                val[s][k] = x[i];
                k++;
            }
        }
    }

    /** One sample: forward pass, loss, and gradients added into {@code gw}/{@code gb}. */
    Step forwardBackward(int[] xi, float[] xv, float[] target, float t, float[][] gw, float[][] gb) {
        int layers = w.length;
        float[][] pre = new float[layers][];
        float[][] act = new float[layers][]; // act[l] is the input of layer l (l >= 1)
        for (int l = 0; l < layers; l++) {
            int out = mlp.layerOut(l);
            float[] z = new float[out];
            if (l == 0) {
                for (int k = 0; k < xi.length; k++) {
                    float x = xv[k];
                    int row = xi[k] * out;
                    for (int j = 0; j < out; j++) {
                        z[j] += x * w[0][row + j];
                    }
                }
            } else {
                float[] a = act[l];
                int in = mlp.layerIn(l);
                for (int i = 0; i < in; i++) {
                    float x = a[i];
                    int row = i * out;
                    for (int j = 0; j < out; j++) {
                        z[j] += x * w[l][row + j];
                    }
                }
            }
            for (int j = 0; j < out; j++) {
                z[j] = z[j] + b[l][j];
            }
            pre[l] = z;
            if (l + 1 < layers) {
                act[l + 1] = mlp.activation().apply(z);
            }
        }
        float[] logits = pre[layers - 1];
        float[] scaled = new float[logits.length];
        for (int j = 0; j < logits.length; j++) {
            scaled[j] = logits[j] / t;
        }
        float[] p = Softmax.apply(scaled);
        double loss = 0;
        int best = 0;
        int bestTarget = 0;
        for (int j = 0; j < p.length; j++) {
            if (target[j] > 0f) {
                loss -= target[j] * StrictMath.log(Math.max(p[j], 1e-30f));
            }
            if (logits[j] > logits[best]) {
                best = j;
            }
            if (target[j] > target[bestTarget]) {
                bestTarget = j;
            }
        }
        loss *= (double) t * t;
        float[] dz = new float[p.length];
        for (int j = 0; j < p.length; j++) {
            dz[j] = (p[j] - target[j]) * t;
        }
        for (int l = layers - 1; l >= 0; l--) {
            int out = mlp.layerOut(l);
            for (int j = 0; j < out; j++) {
                gb[l][j] += dz[j];
            }
            if (l == 0) {
                for (int k = 0; k < xi.length; k++) {
                    float x = xv[k];
                    int row = xi[k] * out;
                    for (int j = 0; j < out; j++) {
                        gw[0][row + j] += x * dz[j];
                    }
                }
                break;
            }
            float[] a = act[l];
            int in = mlp.layerIn(l);
            float[] da = new float[in];
            for (int i = 0; i < in; i++) {
                int row = i * out;
                float sum = 0f;
                for (int j = 0; j < out; j++) {
                    gw[l][row + j] += a[i] * dz[j];
                    sum += w[l][row + j] * dz[j];
                }
                da[i] = sum;
            }
            float[] z = pre[l - 1];
            for (int i = 0; i < in; i++) {
                da[i] = da[i] * derivative(z[i], a[i]);
            }
            dz = da;
        }
        return new Step(loss, best == bestTarget);
    }

    private float derivative(float z, float a) {
        if (mlp.activation() == Activation.RELU) {
            return z > 0f ? 1f : 0f;
        }
        return 1f - a * a; // tanh
    }

    /**
     * The weights as safetensors, tensors in the order {@link Mlp#expectedTensors()} lists them
     * ({@code dense<i>.weight}, {@code dense<i>.bias}).
     */
    public byte[] toSafetensors(Map<String, String> metadata) {
        SafetensorsWriter writer = new SafetensorsWriter();
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            writer.metadata(e.getKey(), e.getValue());
        }
        for (int l = 0; l < w.length; l++) {
            writer.addF32("dense" + l + ".weight", new long[] {mlp.layerIn(l), mlp.layerOut(l)}, w[l]);
            writer.addF32("dense" + l + ".bias", new long[] {mlp.layerOut(l)}, b[l]);
        }
        return writer.toBytes();
    }
}
