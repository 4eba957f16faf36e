package dev.grove.runtime.train;

import dev.grove.runtime.model.LoraAdapter;
import dev.grove.runtime.model.Mlp;
import dev.grove.runtime.model.ModelException;
import dev.grove.runtime.model.TensorSpec;
import dev.grove.runtime.ops.LowRank;
import dev.grove.runtime.safetensors.SafetensorsException;
import dev.grove.runtime.safetensors.SafetensorsFile;
import dev.grove.runtime.safetensors.SafetensorsWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Trains a {@link LoraAdapter} over a frozen {@link Mlp} base with hard labels: only the adapted layers' {@code A} and
 * {@code B} move; the base's matrices and biases stay as they are.
 *
 * <p>Each mini-batch merges the adapter into the base matrices ({@link LowRank#apply}), runs {@link MlpTrainer}'s forward
 * and backward pass on the merged weights to get the gradient {@code G} of each adapted matrix, and turns it into
 * {@code dA[k, i] = s · Σ_j B[j, k] · G[i, j]} and {@code dB[j, k] = s · Σ_i G[i, j] · A[k, i]} (sums in increasing
 * index), then takes one Adam step on {@code A} and {@code B} (MlpTrainer's constants and update).
 *
 * <p><b>Initialisation.</b> {@code A} starts at zero, {@code B} uniform in {@code ±1 / sqrt(rank)} from
 * {@code java.util.Random(seed)}, layer by layer, row-major: the adapted model starts as the base, and since a row of
 * {@code A}'s gradient is zero for an input feature the data never activate, the update stays on the features the
 * adapter's data use. (PEFT starts {@code B} at zero instead; either way the delta starts at zero.) Mini-batch order
 * as in MlpTrainer, so the same base, data, options and seed give byte-identical adapters on every JVM.
 */
public final class LoraTrainer {
    private final Mlp mlp;
    private final LoraAdapter adapter;
    private final List<String> layers;
    private final int[] index; // dense layer number of each adapted layer
    private final float[][] base;
    private final float[][] bias;
    private final float[][] a;
    private final float[][] b;

    private LoraTrainer(Mlp mlp, LoraAdapter adapter, List<String> layers, int[] index, float[][] base,
                        float[][] bias, float[][] a, float[][] b) {
        this.mlp = mlp;
        this.adapter = adapter;
        this.layers = layers;
        this.index = index;
        this.base = base;
        this.bias = bias;
        this.a = a;
        this.b = b;
    }

    /**
     * A fresh adapter on {@code layers} (names such as {@code dense0}, in the base's order) of a float MLP.
     *
     * @throws ModelException when the base is not a float MLP, its weights do not fit it, or a layer is not one of it
     */
    public static LoraTrainer initialise(Mlp mlp, SafetensorsFile weights, LoraAdapter adapter, List<String> layers,
                                         long seed) throws ModelException {
        MlpTrainer.from(mlp, weights); // float weights of the right shapes, a trainable activation
        if (layers.isEmpty()) {
            throw new ModelException("an adapter needs at least one layer (one of " + LoraAdapter.adaptableLayers(mlp)
                    + ")");
        }
        List<String> ordered = new ArrayList<>();
        for (String l : LoraAdapter.adaptableLayers(mlp)) {
            if (layers.contains(l)) {
                ordered.add(l);
            }
        }
        for (String l : layers) {
            if (!ordered.contains(l)) {
                throw new ModelException("layer '" + l + "' is not a dense layer of the base (it has "
                        + LoraAdapter.adaptableLayers(mlp) + ")");
            }
        }
        int n = mlp.layerCount();
        float[][] base = new float[n][];
        float[][] bias = new float[n][];
        try {
            for (int l = 0; l < n; l++) {
                base[l] = weights.floats("dense" + l + ".weight");
                bias[l] = weights.floats("dense" + l + ".bias");
            }
        } catch (SafetensorsException e) {
            throw new ModelException(e.getMessage(), e);
        }
        int r = adapter.rank();
        int[] index = new int[ordered.size()];
        float[][] a = new float[ordered.size()][];
        float[][] b = new float[ordered.size()][];
        Random random = new Random(seed);
        float bound = (float) (1.0 / Math.sqrt(r));
        for (int k = 0; k < ordered.size(); k++) {
            int l = Integer.parseInt(ordered.get(k).substring("dense".length()));
            index[k] = l;
            a[k] = new float[r * mlp.layerIn(l)];
            b[k] = new float[mlp.layerOut(l) * r];
            for (int i = 0; i < b[k].length; i++) {
                b[k][i] = (random.nextFloat() * 2f - 1f) * bound;
            }
        }
        return new LoraTrainer(mlp, adapter, List.copyOf(ordered), index, base, bias, a, b);
    }

    public List<String> layers() {
        return layers;
    }

    /** Trains on hard labels; the dataset's labels must be the base's classes. */
    public MlpTrainer.TrainingResult train(Dataset data, TrainingOptions options, TrainingProgress progress) {
        if (data.labels().size() != mlp.classes()) {
            throw new IllegalArgumentException("the data has " + data.labels().size() + " labels but the base "
                    + mlp.classes() + " classes");
        }
        if (data.size() == 0) {
            throw new IllegalArgumentException("the data holds no sample");
        }
        int n = mlp.layerCount();
        int samples = data.size();
        int[][] idx = new int[samples][];
        float[][] val = new float[samples][];
        float[][] targets = new float[samples][];
        float[][] merged = new float[n][];
        for (int l = 0; l < n; l++) {
            merged[l] = base[l].clone();
        }
        MlpTrainer pass = new MlpTrainer(mlp, merged, bias);
        for (int s = 0; s < samples; s++) {
            MlpTrainer.sparse(pass.features.features(data.text(s)), s, idx, val);
            targets[s] = new float[mlp.classes()];
            targets[s][data.label(s)] = 1f;
        }
        float[][] gw = new float[n][];
        float[][] gb = new float[n][];
        for (int l = 0; l < n; l++) {
            gw[l] = new float[base[l].length];
            gb[l] = new float[bias[l].length];
        }
        int m = layers.size();
        float[][] ga = new float[m][];
        float[][] gbm = new float[m][];
        float[][] ma = new float[m][];
        float[][] va = new float[m][];
        float[][] mbm = new float[m][];
        float[][] vbm = new float[m][];
        for (int k = 0; k < m; k++) {
            ga[k] = new float[a[k].length];
            ma[k] = new float[a[k].length];
            va[k] = new float[a[k].length];
            gbm[k] = new float[b[k].length];
            mbm[k] = new float[b[k].length];
            vbm[k] = new float[b[k].length];
        }
        int r = adapter.rank();
        float scale = adapter.scale();
        Random order = new Random(options.seed() ^ MlpTrainer.SHUFFLE_SALT);
        int[] perm = new int[samples];
        for (int i = 0; i < samples; i++) {
            perm[i] = i;
        }
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
            for (int start = 0; start < samples; start += options.batchSize()) {
                int end = Math.min(samples, start + options.batchSize());
                for (int k = 0; k < m; k++) {
                    int l = index[k];
                    float[] w = LowRank.apply(base[l], mlp.layerIn(l), mlp.layerOut(l), a[k], b[k], r, scale);
                    System.arraycopy(w, 0, merged[l], 0, w.length);
                }
                for (int l = 0; l < n; l++) {
                    Arrays.fill(gw[l], 0f);
                    Arrays.fill(gb[l], 0f);
                }
                for (int q = start; q < end; q++) {
                    int s = perm[q];
                    MlpTrainer.Step step = pass.forwardBackward(idx[s], val[s], targets[s], 1f, gw, gb);
                    lossSum += step.loss();
                    if (step.correct()) {
                        correct++;
                    }
                }
                for (int k = 0; k < m; k++) {
                    gradients(gw[index[k]], mlp.layerIn(index[k]), mlp.layerOut(index[k]), a[k], b[k], r, scale,
                            ga[k], gbm[k]);
                }
                float inv = 1f / (end - start);
                beta1Power *= MlpTrainer.BETA1;
                beta2Power *= MlpTrainer.BETA2;
                float c1 = (float) (1.0 - beta1Power);
                float c2 = (float) (1.0 - beta2Power);
                float lr = options.learningRate();
                for (int k = 0; k < m; k++) {
                    MlpTrainer.adam(a[k], ga[k], ma[k], va[k], inv, c1, c2, lr);
                    MlpTrainer.adam(b[k], gbm[k], mbm[k], vbm[k], inv, c1, c2, lr);
                }
            }
            lastLoss = lossSum / samples;
            lastAccuracy = (double) correct / samples;
            progress.epoch(epoch, options.epochs(), lastLoss, lastAccuracy);
        }
        return new MlpTrainer.TrainingResult(options.epochs(), lastLoss, lastAccuracy, samples);
    }

    /** {@code dA} and {@code dB} from the merged matrix's gradient {@code g} [in, out] (see the class documentation). */
    private static void gradients(float[] g, int in, int out, float[] a, float[] b, int r, float scale, float[] ga,
                                  float[] gb) {
        for (int k = 0; k < r; k++) {
            for (int i = 0; i < in; i++) {
                float acc = 0f;
                int row = i * out;
                for (int j = 0; j < out; j++) {
                    acc += b[j * r + k] * g[row + j];
                }
                ga[k * in + i] = scale * acc;
            }
        }
        for (int j = 0; j < out; j++) {
            for (int k = 0; k < r; k++) {
                float acc = 0f;
                for (int i = 0; i < in; i++) {
                    acc += g[i * out + j] * a[k * in + i];
                }
                gb[j * r + k] = scale * acc;
            }
        }
    }

    /** The adapter's weights: {@code <layer>.lora_a} then {@code <layer>.lora_b} for each layer, in the base's order. */
    public byte[] toSafetensors(Map<String, String> metadata) throws ModelException {
        SafetensorsWriter writer = new SafetensorsWriter();
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            writer.metadata(e.getKey(), e.getValue());
        }
        List<TensorSpec> specs = adapter.expectedTensors(mlp, layers);
        for (int k = 0; k < layers.size(); k++) {
            writer.addF32(specs.get(2 * k).name(), specs.get(2 * k).shape(), a[k]);
            writer.addF32(specs.get(2 * k + 1).name(), specs.get(2 * k + 1).shape(), b[k]);
        }
        return writer.toBytes();
    }
}
