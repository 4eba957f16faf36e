package dev.grove.runtime.model;

import dev.grove.runtime.ops.Activation;
import dev.grove.runtime.ops.HashedNgrams;
import dev.grove.runtime.safetensors.Dtype;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hashed character n-gram features ({@link HashedNgrams}) followed by dense layers with an activation between them and a
 * softmax over the classes. With no hidden layer it is multinomial logistic regression.
 *
 * <p>Configuration keys: {@code architecture=mlp}; {@code buckets} (required, power of two ≤ 2^24); {@code classes}
 * (required, 1..65536); {@code ngram_orders} (comma-separated, strictly increasing in 1..8, default {@code 1,2,3});
 * {@code hidden} (comma-separated widths, default empty); {@code activation} ({@code relu}, {@code gelu} or {@code tanh},
 * default {@code relu}); {@code weights} ({@code f32} or {@code int8}, default {@code f32}).
 *
 * <p>Tensors, for layer {@code i = 0 .. hidden.size()} with {@code in_0 = buckets}, {@code out_i = hidden[i]} and the last
 * {@code out = classes}: {@code dense<i>.weight} F32 (or I8) {@code [in_i, out_i]}; {@code dense<i>.scale} F32
 * {@code [out_i]} (int8 only); {@code dense<i>.bias} F32 {@code [out_i]}.
 */
public record Mlp(List<Integer> ngramOrders, int buckets, List<Integer> hidden, Activation activation, int classes,
        WeightFormat weights) implements Architecture {

    public static final String NAME = "mlp";

    public Mlp {
        ngramOrders = Collections.unmodifiableList(new ArrayList<>(ngramOrders));
        hidden = Collections.unmodifiableList(new ArrayList<>(hidden));
        int[] orders = new int[ngramOrders.size()];
        for (int i = 0; i < orders.length; i++) {
            orders[i] = ngramOrders.get(i);
        }
        new HashedNgrams(orders, buckets); // validates orders and buckets
        for (int h : hidden) {
            if (h < 1) {
                throw new IllegalArgumentException("hidden widths must be positive, got " + hidden);
            }
        }
        if (classes < 1 || activation == null || weights == null) {
            throw new IllegalArgumentException("classes must be positive; activation and weights are required");
        }
    }

    /** Builds an MLP from its configuration keys (see the class documentation). */
    public static Mlp fromConfig(Map<String, String> config) throws ModelException {
        Config c = new Config(NAME, config);
        List<Integer> orders = c.integers("ngram_orders", 1, HashedNgrams.MAX_ORDER, "1,2,3");
        for (int i = 1; i < orders.size(); i++) {
            if (orders.get(i) <= orders.get(i - 1)) {
                throw new ModelException("mlp config: ngram_orders must be strictly increasing, got " + orders);
            }
        }
        if (orders.isEmpty()) {
            throw new ModelException("mlp config: ngram_orders must not be empty");
        }
        int buckets = c.integer("buckets", 1, HashedNgrams.MAX_BUCKETS);
        if ((buckets & (buckets - 1)) != 0) {
            throw new ModelException("mlp config: buckets = " + buckets + " is not a power of two");
        }
        List<Integer> hidden = c.integers("hidden", 1, 1 << 16, "");
        String act = c.string("activation", "relu");
        Activation activation = Activation.byName(act);
        if (activation == null) {
            throw new ModelException("mlp config: activation = \"" + act + "\" is not relu, gelu or tanh");
        }
        int classes = c.integer("classes", 1, 1 << 16);
        WeightFormat weights = Architecture.weightFormat(c);
        c.rejectUnknownKeys();
        return new Mlp(orders, buckets, hidden, activation, classes, weights);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The feature extractor this architecture starts with. */
    public HashedNgrams features() {
        int[] orders = new int[ngramOrders.size()];
        for (int i = 0; i < orders.length; i++) {
            orders[i] = ngramOrders.get(i);
        }
        return new HashedNgrams(orders, buckets);
    }

    /** Number of dense layers: hidden layers plus the output layer. */
    public int layerCount() {
        return hidden.size() + 1;
    }

    /** Input width of dense layer {@code i}. */
    public int layerIn(int i) {
        return i == 0 ? buckets : hidden.get(i - 1);
    }

    /** Output width of dense layer {@code i}. */
    public int layerOut(int i) {
        return i == hidden.size() ? classes : hidden.get(i);
    }

    @Override
    public List<TensorSpec> expectedTensors() {
        List<TensorSpec> out = new ArrayList<>();
        for (int i = 0; i < layerCount(); i++) {
            TinyTransformer.dense(out, "dense" + i, layerIn(i), layerOut(i), weights);
        }
        return out;
    }

    @Override
    public Map<String, String> toConfig() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("architecture", NAME);
        m.put("ngram_orders", Config.join(ngramOrders).replace(", ", ","));
        m.put("buckets", String.valueOf(buckets));
        m.put("hidden", Config.join(hidden).replace(", ", ","));
        m.put("activation", activation.name().toLowerCase(java.util.Locale.ROOT));
        m.put("classes", String.valueOf(classes));
        m.put("weights", weights.configName());
        return m;
    }
}
