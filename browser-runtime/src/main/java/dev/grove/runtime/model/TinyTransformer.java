package dev.grove.runtime.model;

import dev.grove.runtime.ops.Activation;
import dev.grove.runtime.safetensors.Dtype;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny byte-level transformer encoder for classification.
 *
 * <p><b>Tokens.</b> Token 256 (BOS) followed by the UTF-8 bytes of the text (a lone surrogate is encoded as U+FFFD; no
 * case folding or normalisation), truncated to {@code context} tokens in all; the vocabulary is {@value #VOCAB}.
 *
 * <p><b>Computation</b> ({@code T} tokens, width {@code d}): {@code x = embed.token[ids] + embed.position[0..T)}; then per
 * block, pre-norm: {@code x = x + o(MHA(q(h), k(h), v(h)))} with {@code h = LN1(x)}, and
 * {@code x = x + ff2(act(ff1(LN2(x))))}; then {@code final_ln}, mean pooling over the {@code T} positions, {@code head}
 * and softmax. Residual sums add element-wise in float. All ops as defined in {@link dev.grove.runtime.ops}.
 *
 * <p>Configuration keys: {@code architecture=tiny-transformer}; required {@code d_model}, {@code heads} (dividing
 * {@code d_model}), {@code layers}, {@code ff}, {@code context} (max tokens including BOS), {@code classes}; optional
 * {@code causal} ({@code false}), {@code activation} ({@code gelu}), {@code eps} (layer-norm epsilon, {@code 1e-5}),
 * {@code weights} ({@code f32} or {@code int8}: applies to the q, k, v, o, ff1, ff2 and head matrices).
 *
 * <p>Tensors: {@code embed.token} [257, d], {@code embed.position} [context, d]; per block {@code b}:
 * {@code block<b>.ln1.weight|bias} [d], {@code block<b>.attn.q|k|v|o.weight} [d, d] (+ {@code .scale} [d] for int8),
 * {@code block<b>.attn.q|k|v|o.bias} [d], {@code block<b>.ln2.weight|bias} [d], {@code block<b>.ff1.weight} [d, ff],
 * {@code block<b>.ff1.bias} [ff], {@code block<b>.ff2.weight} [ff, d], {@code block<b>.ff2.bias} [d]; then
 * {@code final_ln.weight|bias} [d], {@code head.weight} [d, classes], {@code head.bias} [classes]. Layer-norm
 * {@code weight} is gamma and {@code bias} is beta.
 */
public record TinyTransformer(int dModel, int heads, int layers, int ff, int context, int classes, boolean causal,
        Activation activation, float eps, WeightFormat weights) implements Architecture {

    public static final String NAME = "tiny-transformer";
    /** 256 byte values and the BOS token. */
    public static final int VOCAB = 257;
    public static final int BOS = 256;

    public TinyTransformer {
        if (dModel < 1 || heads < 1 || dModel % heads != 0) {
            throw new IllegalArgumentException("d_model " + dModel + " must be a positive multiple of heads " + heads);
        }
        if (layers < 0 || ff < 1 || context < 1 || classes < 1 || !(eps >= 0f) || activation == null
                || weights == null) {
            throw new IllegalArgumentException("invalid tiny-transformer dimensions");
        }
    }

    /** Builds a tiny transformer from its configuration keys (see the class documentation). */
    public static TinyTransformer fromConfig(Map<String, String> config) throws ModelException {
        Config c = new Config(NAME, config);
        int dModel = c.integer("d_model", 1, 4096);
        int heads = c.integer("heads", 1, 256);
        if (dModel % heads != 0) {
            throw new ModelException("tiny-transformer config: d_model = " + dModel + " is not a multiple of heads = "
                    + heads);
        }
        int layers = c.integer("layers", 0, 64);
        int ff = c.integer("ff", 1, 16384);
        int context = c.integer("context", 1, 8192);
        int classes = c.integer("classes", 1, 1 << 16);
        boolean causal = c.bool("causal", false);
        String act = c.string("activation", "gelu");
        Activation activation = Activation.byName(act);
        if (activation == null) {
            throw new ModelException("tiny-transformer config: activation = \"" + act + "\" is not relu, gelu or tanh");
        }
        float eps = c.decimal("eps", 1e-5f);
        WeightFormat weights = Architecture.weightFormat(c);
        c.rejectUnknownKeys();
        return new TinyTransformer(dModel, heads, layers, ff, context, classes, causal, activation, eps, weights);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<TensorSpec> expectedTensors() {
        List<TensorSpec> out = new ArrayList<>();
        out.add(new TensorSpec("embed.token", Dtype.F32, VOCAB, dModel));
        out.add(new TensorSpec("embed.position", Dtype.F32, context, dModel));
        for (int b = 0; b < layers; b++) {
            String p = "block" + b + ".";
            norm(out, p + "ln1", dModel);
            for (String m : new String[] {"q", "k", "v", "o"}) {
                dense(out, p + "attn." + m, dModel, dModel, weights);
            }
            norm(out, p + "ln2", dModel);
            dense(out, p + "ff1", dModel, ff, weights);
            dense(out, p + "ff2", ff, dModel, weights);
        }
        norm(out, "final_ln", dModel);
        dense(out, "head", dModel, classes, weights);
        return out;
    }

    static void norm(List<TensorSpec> out, String name, int width) {
        out.add(new TensorSpec(name + ".weight", Dtype.F32, width));
        out.add(new TensorSpec(name + ".bias", Dtype.F32, width));
    }

    static void dense(List<TensorSpec> out, String name, int in, int outWidth, WeightFormat weights) {
        if (weights == WeightFormat.INT8) {
            out.add(new TensorSpec(name + ".weight", Dtype.I8, in, outWidth));
            out.add(new TensorSpec(name + ".scale", Dtype.F32, outWidth));
        } else {
            out.add(new TensorSpec(name + ".weight", Dtype.F32, in, outWidth));
        }
        out.add(new TensorSpec(name + ".bias", Dtype.F32, outWidth));
    }

    /** The token ids of a text: BOS, then its UTF-8 bytes, at most {@code context} ids in all. */
    public int[] tokens(String text) {
        int[] ids = new int[context];
        int n = 0;
        ids[n++] = BOS;
        for (int i = 0; i < text.length() && n < context; i++) {
            char c = text.charAt(i);
            int cp;
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                cp = Character.toCodePoint(c, text.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                cp = 0xFFFD;
            } else {
                cp = c;
            }
            if (cp < 0x80) {
                ids[n++] = cp;
            } else if (cp < 0x800) {
                n = put(ids, n, 0xC0 | (cp >> 6), 0x80 | (cp & 0x3F));
            } else if (cp < 0x10000) {
                n = put(ids, n, 0xE0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3F), 0x80 | (cp & 0x3F));
            } else {
                n = put(ids, n, 0xF0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3F), 0x80 | ((cp >> 6) & 0x3F),
                        0x80 | (cp & 0x3F));
            }
        }
        return java.util.Arrays.copyOf(ids, n);
    }

    /** Appends bytes while there is room: a character cut by the context limit leaves its first bytes. */
    private static int put(int[] ids, int n, int... bytes) {
        for (int b : bytes) {
            if (n < ids.length) {
                ids[n++] = b;
            }
        }
        return n;
    }

    @Override
    public Map<String, String> toConfig() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("architecture", NAME);
        m.put("d_model", String.valueOf(dModel));
        m.put("heads", String.valueOf(heads));
        m.put("layers", String.valueOf(layers));
        m.put("ff", String.valueOf(ff));
        m.put("context", String.valueOf(context));
        m.put("classes", String.valueOf(classes));
        m.put("causal", String.valueOf(causal));
        m.put("activation", activation.name().toLowerCase(java.util.Locale.ROOT));
        m.put("eps", Float.toString(eps));
        m.put("weights", weights.configName());
        return m;
    }
}
