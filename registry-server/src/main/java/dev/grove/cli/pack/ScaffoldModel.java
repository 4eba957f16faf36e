package dev.grove.cli.pack;

import dev.grove.json.JsonArray;
import dev.grove.runtime.safetensors.SafetensorsWriter;
import dev.grove.json.JsonNumber;
import dev.grove.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The tiny untrained text classifier that {@code grove init} scaffolds: hashed character n-grams feeding a one-hidden-layer
 * MLP. Its architecture block spells out the features exactly, so the accuracy {@code grove init} records is the real
 * accuracy of these weights, computed here:
 *
 * <ol>
 *   <li>the text is lower-cased (Unicode, root locale) and wrapped in one space on each side;</li>
 *   <li>every run of n code points, for n from {@code ngrams[0]} to {@code ngrams[1]}, is hashed with 32-bit FNV-1a over
 *       its UTF-8 bytes and counted in bucket {@code hash mod buckets} (hash unsigned);</li>
 *   <li>the counts are divided by their total (mean pooling);</li>
 *   <li>{@code h = relu(W0 x + b0)}, {@code logits = W1 h + b1}, weights stored row-major as {@code [out, in]}; the
 *       label is the arg-max (the first on a tie).</li>
 * </ol>
 */
public final class ScaffoldModel {
    static final int MIN_N = 1;
    static final int MAX_N = 3;

    private final int buckets;
    private final int hidden;
    private final List<String> labels;
    private final float[] w0;
    private final float[] b0;
    private final float[] w1;
    private final float[] b1;

    private ScaffoldModel(int buckets, int hidden, List<String> labels, float[] w0, float[] b0, float[] w1, float[] b1) {
        this.buckets = buckets;
        this.hidden = hidden;
        this.labels = List.copyOf(labels);
        this.w0 = w0;
        this.b0 = b0;
        this.w1 = w1;
        this.b1 = b1;
    }

    /** Weights drawn uniformly from ±1/sqrt(fan-in) with a fixed seed, so {@code grove init} is reproducible. */
    public static ScaffoldModel random(long seed, int buckets, int hidden, List<String> labels) {
        Random random = new Random(seed);
        return new ScaffoldModel(buckets, hidden, labels,
                uniform(random, hidden * buckets, buckets), uniform(random, hidden, buckets),
                uniform(random, labels.size() * hidden, hidden), uniform(random, labels.size(), hidden));
    }

    private static float[] uniform(Random random, int count, int fanIn) {
        float bound = (float) (1 / Math.sqrt(fanIn));
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (random.nextFloat() * 2 - 1) * bound;
        }
        return values;
    }

    public List<String> labels() {
        return labels;
    }

    public long parameters() {
        return (long) w0.length + b0.length + w1.length + b1.length;
    }

    /** The contract's {@code architecture} block. */
    public JsonObject architecture() {
        return JsonObject.builder()
                .put("family", "mlp")
                .put("opset", 1)
                .put("config", JsonObject.builder()
                        .put("input", JsonObject.builder()
                                .put("kind", "hashed-char-ngrams")
                                .put("ngrams", JsonArray.of(JsonNumber.of(MIN_N), JsonNumber.of(MAX_N)))
                                .put("buckets", buckets)
                                .put("hash", "fnv1a32")
                                .put("lowercase", true)
                                .put("pooling", "mean")
                                .build())
                        .put("hidden", JsonArray.of(JsonNumber.of(hidden)))
                        .put("activation", "relu")
                        .put("weights", JsonObject.builder()
                                .put("layout", "out-in")
                                .put("tensors", JsonArray.ofStrings(List.of(
                                        "layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias")))
                                .build())
                        .build())
                .build();
    }

    /** The weights as a safetensors file. */
    public byte[] safetensors() {
        return new SafetensorsWriter()
                .addF32("layers.0.weight", new long[] {hidden, buckets}, w0)
                .addF32("layers.0.bias", new long[] {hidden}, b0)
                .addF32("layers.1.weight", new long[] {labels.size(), hidden}, w1)
                .addF32("layers.1.bias", new long[] {labels.size()}, b1)
                .metadata("format", "pt")
                .metadata("producer", "grove init (random, untrained)")
                .toBytes();
    }

    /** The predicted label of a text. */
    public String predict(String text) {
        float[] x = features(text);
        float[] h = new float[hidden];
        for (int o = 0; o < hidden; o++) {
            float sum = b0[o];
            for (int i = 0; i < buckets; i++) {
                sum += w0[o * buckets + i] * x[i];
            }
            h[o] = Math.max(0f, sum);
        }
        int best = 0;
        float bestLogit = Float.NEGATIVE_INFINITY;
        for (int o = 0; o < labels.size(); o++) {
            float sum = b1[o];
            for (int i = 0; i < hidden; i++) {
                sum += w1[o * hidden + i] * h[i];
            }
            if (sum > bestLogit) {
                bestLogit = sum;
                best = o;
            }
        }
        return labels.get(best);
    }

    float[] features(String text) {
        int[] cps = (" " + text.toLowerCase(Locale.ROOT) + " ").codePoints().toArray();
        float[] x = new float[buckets];
        int total = 0;
        for (int n = MIN_N; n <= MAX_N; n++) {
            for (int start = 0; start + n <= cps.length; start++) {
                String gram = new String(cps, start, n);
                x[Integer.remainderUnsigned(fnv1a(gram.getBytes(StandardCharsets.UTF_8)), buckets)] += 1;
                total++;
            }
        }
        if (total > 0) {
            for (int i = 0; i < buckets; i++) {
                x[i] /= total;
            }
        }
        return x;
    }

    static int fnv1a(byte[] bytes) {
        int hash = 0x811c9dc5;
        for (byte b : bytes) {
            hash ^= b & 0xFF;
            hash *= 0x01000193;
        }
        return hash;
    }
}
