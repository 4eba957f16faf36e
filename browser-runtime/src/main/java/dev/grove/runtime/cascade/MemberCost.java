package dev.grove.runtime.cascade;

import dev.grove.runtime.model.Architecture;
import dev.grove.runtime.model.Mlp;
import dev.grove.runtime.model.TinyTransformer;

/**
 * What consulting one member costs: the bytes a runtime loads for it (its weights artifact, fetched once per page) and
 * its parameters, both from its contract, and the multiply-adds of one inference counted from its architecture.
 */
public record MemberCost(long bytes, long parameters, Architecture architecture) {

    /**
     * Multiply-adds of one inference on {@code text}: every dense layer's {@code in × out} (an mlp's are the same for
     * every input); a tiny transformer's also grow with the input's tokens (projections, feed-forward and attention per
     * token). Feature hashing, activations, norms and softmax are not counted.
     */
    public long multiplyAdds(String text) {
        if (architecture instanceof Mlp m) {
            long n = 0;
            for (int i = 0; i < m.layerCount(); i++) {
                n += (long) m.layerIn(i) * m.layerOut(i);
            }
            return n;
        }
        TinyTransformer t = (TinyTransformer) architecture;
        long tokens = t.tokens(text).length;
        long d = t.dModel();
        long perLayer = tokens * (4 * d * d + 2 * d * t.ff()) + 2 * tokens * tokens * d;
        return t.layers() * perLayer + d * t.classes();
    }
}
