package dev.grove.runtime.model;

import dev.grove.runtime.ops.Attention;
import dev.grove.runtime.ops.Embedding;
import dev.grove.runtime.ops.HashedNgrams;
import dev.grove.runtime.ops.LayerNorm;
import dev.grove.runtime.ops.Pooling;
import dev.grove.runtime.ops.Softmax;
import dev.grove.runtime.safetensors.SafetensorsException;
import dev.grove.runtime.safetensors.SafetensorsFile;
import dev.grove.runtime.safetensors.TensorInfo;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A loaded model: an {@link Architecture} with weights that were checked against it. Immutable and safe to share; each
 * call allocates its own buffers.
 */
public abstract class Model {
    private final Architecture architecture;

    private Model(Architecture architecture) {
        this.architecture = architecture;
    }

    /**
     * Checks that {@code weights} holds exactly the tensors {@link Architecture#expectedTensors()} lists, each with the
     * expected dtype and shape, and reads them.
     *
     * @throws ModelException naming the first tensor that is missing, unexpected, or of the wrong dtype or shape
     */
    public static Model load(Architecture architecture, SafetensorsFile weights) throws ModelException {
        List<TensorSpec> expected = architecture.expectedTensors();
        Set<String> names = new HashSet<>();
        for (TensorSpec spec : expected) {
            names.add(spec.name());
            if (!weights.contains(spec.name())) {
                throw new ModelException("missing tensor '" + spec.name() + "' (" + architecture.name() + " expects "
                        + spec.dtype() + " " + TensorInfo.shapeString(spec.shape()) + ")");
            }
            checkedTensor(weights, spec, "");
        }
        for (TensorInfo t : weights.tensors()) {
            if (!names.contains(t.name())) {
                throw new ModelException("unexpected tensor '" + t.name() + "' (not part of the " + architecture.name()
                        + " architecture)");
            }
        }
        try {
            if (architecture instanceof Mlp) {
                return new MlpModel((Mlp) architecture, weights);
            }
            return new TransformerModel((TinyTransformer) architecture, weights);
        } catch (SafetensorsException e) {
            throw new ModelException(e.getMessage(), e); // not reached: every tensor was checked above
        }
    }

    public Architecture architecture() {
        return architecture;
    }


    /**
     * The tensor {@code spec} names, refused unless it has the spec's dtype and shape; {@code shapeNote} is added to a
     * shape refusal (e.g. what the shape follows from).
     */
    static TensorInfo checkedTensor(SafetensorsFile weights, TensorSpec spec, String shapeNote) throws ModelException {
        TensorInfo t;
        try {
            t = weights.tensor(spec.name());
        } catch (SafetensorsException e) {
            throw new ModelException(e.getMessage(), e);
        }
        if (t.dtype() != spec.dtype()) {
            throw new ModelException("tensor '" + spec.name() + "' has dtype " + t.dtype() + ", expected "
                    + spec.dtype());
        }
        if (!Arrays.equals(t.shape(), spec.shape())) {
            throw new ModelException("tensor '" + spec.name() + "' has shape " + TensorInfo.shapeString(t.shape())
                    + ", expected " + TensorInfo.shapeString(spec.shape()) + shapeNote);
        }
        return t;
    }
    /** The class probabilities for {@code text}: {@link Architecture#classes()} values summing to about 1. */
    public float[] predict(String text) {
        return Softmax.apply(logits(text));
    }

    /** The scores before the final softmax. */
    public abstract float[] logits(String text);

    private static final class MlpModel extends Model {
        private final HashedNgrams features;
        private final DenseLayer[] layers;
        private final Mlp mlp;

        MlpModel(Mlp mlp, SafetensorsFile f) throws SafetensorsException {
            super(mlp);
            this.mlp = mlp;
            this.features = mlp.features();
            this.layers = new DenseLayer[mlp.layerCount()];
            for (int i = 0; i < layers.length; i++) {
                layers[i] = DenseLayer.read(f, "dense" + i, mlp.layerIn(i), mlp.layerOut(i), mlp.weights());
            }
        }

        @Override
        public float[] logits(String text) {
            float[] x = features.features(text);
            for (int i = 0; i < layers.length; i++) {
                x = layers[i].apply(x, 1);
                if (i < layers.length - 1) {
                    mlp.activation().applyInPlace(x);
                }
            }
            return x;
        }
    }

    private static final class Block {
        float[] ln1Gamma;
        float[] ln1Beta;
        DenseLayer q;
        DenseLayer k;
        DenseLayer v;
        DenseLayer o;
        float[] ln2Gamma;
        float[] ln2Beta;
        DenseLayer ff1;
        DenseLayer ff2;
    }

    private static final class TransformerModel extends Model {
        private final TinyTransformer tt;
        private final float[] tokenEmbedding;
        private final float[] positionEmbedding;
        private final Block[] blocks;
        private final float[] finalGamma;
        private final float[] finalBeta;
        private final DenseLayer head;

        TransformerModel(TinyTransformer tt, SafetensorsFile f) throws SafetensorsException {
            super(tt);
            this.tt = tt;
            int d = tt.dModel();
            WeightFormat w = tt.weights();
            tokenEmbedding = f.floats("embed.token");
            positionEmbedding = f.floats("embed.position");
            blocks = new Block[tt.layers()];
            for (int b = 0; b < blocks.length; b++) {
                String p = "block" + b + ".";
                Block blk = new Block();
                blk.ln1Gamma = f.floats(p + "ln1.weight");
                blk.ln1Beta = f.floats(p + "ln1.bias");
                blk.q = DenseLayer.read(f, p + "attn.q", d, d, w);
                blk.k = DenseLayer.read(f, p + "attn.k", d, d, w);
                blk.v = DenseLayer.read(f, p + "attn.v", d, d, w);
                blk.o = DenseLayer.read(f, p + "attn.o", d, d, w);
                blk.ln2Gamma = f.floats(p + "ln2.weight");
                blk.ln2Beta = f.floats(p + "ln2.bias");
                blk.ff1 = DenseLayer.read(f, p + "ff1", d, tt.ff(), w);
                blk.ff2 = DenseLayer.read(f, p + "ff2", tt.ff(), d, w);
                blocks[b] = blk;
            }
            finalGamma = f.floats("final_ln.weight");
            finalBeta = f.floats("final_ln.bias");
            head = DenseLayer.read(f, "head", d, tt.classes(), w);
        }

        @Override
        public float[] logits(String text) {
            int[] ids = tt.tokens(text);
            int t = ids.length;
            int d = tt.dModel();
            float eps = tt.eps();
            float[] x = Embedding.lookup(ids, tokenEmbedding, TinyTransformer.VOCAB, d);
            addInPlace(x, positionEmbedding, t * d);
            for (Block b : blocks) {
                float[] h = LayerNorm.apply(x, t, d, b.ln1Gamma, b.ln1Beta, eps);
                float[] a = Attention.multiHead(b.q.apply(h, t), b.k.apply(h, t), b.v.apply(h, t), t, tt.heads(), d,
                        tt.causal());
                addInPlace(x, b.o.apply(a, t), t * d);
                h = LayerNorm.apply(x, t, d, b.ln2Gamma, b.ln2Beta, eps);
                float[] f = b.ff1.apply(h, t);
                tt.activation().applyInPlace(f);
                addInPlace(x, b.ff2.apply(f, t), t * d);
            }
            x = LayerNorm.apply(x, t, d, finalGamma, finalBeta, eps);
            return head.apply(Pooling.mean(x, t, d), 1);
        }

        /** {@code x[i] = x[i] + y[i]} for the first {@code n} elements. */
        private static void addInPlace(float[] x, float[] y, int n) {
            for (int i = 0; i < n; i++) {
                x[i] = x[i] + y[i];
            }
        }
    }
}
