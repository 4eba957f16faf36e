package dev.grove.runtime.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** Known answers for every operator of op-set v1, on cases small enough to check by hand. */
class OpsTest {
    private static final Offset<Float> TIGHT = within(1e-6f);

    @Test
    void dense_float() {
        // x = [1, 2]; W = [[1, 2, 3], [4, 5, 6]] stored [in=2, out=3]; b = [0.5, 0, -1]
        // y = [1*1 + 2*4 + 0.5, 1*2 + 2*5 + 0, 1*3 + 2*6 - 1] = [9.5, 12, 14]
        float[] y = Dense.apply(new float[] {1, 2}, new float[] {1, 2, 3, 4, 5, 6}, 2, 3, new float[] {0.5f, 0, -1});
        assertThat(y).containsExactly(9.5f, 12f, 14f);
    }

    @Test
    void dense_batchedRowsAndNoBias() {
        float[] y = Dense.matmul(new float[] {1, 0, 0, 1, 2, 3}, 3, 2, new float[] {1, 2, 3, 4}, 2);
        // rows [1,0] -> [1,2]; [0,1] -> [3,4]; [2,3] -> [2+9, 4+12]
        assertThat(y).containsExactly(1f, 2f, 3f, 4f, 11f, 16f);
    }

    @Test
    void dense_accumulatesInIndexOrder() {
        // (1e8 + 1) - 1e8 in float: 1e8 + 1 rounds to 1e8, so the result is 0, not 1 (no reassociation, no FMA)
        float[] y = Dense.apply(new float[] {1e8f, 1f, -1e8f}, new float[] {1, 1, 1}, 3, 1, null);
        assertThat(y).containsExactly(0f);
    }

    @Test
    void dense_refusesWrongSizes() {
        assertThatThrownBy(() -> Dense.apply(new float[] {1, 2}, new float[5], 2, 3, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("weight [2, 3] must have 6 elements, got 5");
    }

    @Test
    void denseInt8_knownQuantisation() {
        // W = [[0.5, -1], [0.25, 2]]: column 0 max 0.5 -> scale 0.5/127, q = [127, rint(63.5) = 64]
        //                             column 1 max 2   -> scale 2/127,   q = [rint(-63.5) = -64, 127]
        float[] w = {0.5f, -1f, 0.25f, 2f};
        Quantization.Int8Weights q = Quantization.int8PerOutputChannel(w, 2, 2);
        assertThat(q.weights()).containsExactly(127, -64, 64, 127);
        assertThat(q.scales()).containsExactly(0.5f / 127f, 2f / 127f);
        // x = [2, 4]: column 0 = (2*127 + 4*64) * 0.5/127 = 510 * 0.003937008 = 2.0078740; column 1 = (2*-64 + 4*127) * 2/127 = 380 * 2/127 = 5.984252
        float[] y = Dense.applyInt8(new float[] {2, 4}, q.weights(), q.scales(), 2, 2, new float[] {1, 0});
        assertThat(y[0]).isCloseTo(1f + 510f * (0.5f / 127f), TIGHT);
        assertThat(y[1]).isCloseTo(380f * (2f / 127f), TIGHT);
        // the float layer gives [2*0.5 + 4*0.25 + 1, -2 + 8] = [3, 6]
        assertThat(y[0]).isCloseTo(3f, within(0.5f * (2 + 4) * (0.5f / 127f)));
        assertThat(y[1]).isCloseTo(6f, within(0.5f * (2 + 4) * (2f / 127f)));
    }

    @Test
    void denseInt8_staysWithinQuantisationErrorOfFloat() {
        java.util.Random random = new java.util.Random(7);
        int in = 64;
        int out = 16;
        float[] w = new float[in * out];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian();
        }
        float[] x = new float[in];
        for (int i = 0; i < in; i++) {
            x[i] = (float) random.nextGaussian();
        }
        float[] b = new float[out];
        Quantization.Int8Weights q = Quantization.int8PerOutputChannel(w, in, out);
        float[] exact = Dense.apply(x, w, in, out, b);
        float[] approx = Dense.applyInt8(x, q.weights(), q.scales(), in, out, b);
        float sumAbsX = 0;
        for (float v : x) {
            sumAbsX += Math.abs(v);
        }
        for (int j = 0; j < out; j++) {
            // each weight moves by at most scale/2, so the output by at most Σ|x_i| * scale/2 (plus float rounding)
            float bound = sumAbsX * q.scales()[j] / 2 + 1e-4f;
            assertThat(Math.abs(approx[j] - exact[j])).as("column %d", j).isLessThanOrEqualTo(bound);
        }
        // and dequantising gives the same layer
        float[] viaDequantized = Dense.apply(x, Quantization.dequantize(q.weights(), q.scales(), in, out), in, out, b);
        for (int j = 0; j < out; j++) {
            assertThat(approx[j]).isCloseTo(viaDequantized[j], within(1e-4f));
        }
    }

    @Test
    void quantization_zeroColumn() {
        Quantization.Int8Weights q = Quantization.int8PerOutputChannel(new float[] {0, 1, 0, -1}, 2, 2);
        assertThat(q.scales()).containsExactly(0f, 1f / 127f);
        assertThat(q.weights()).containsExactly(0, 127, 0, -127);
    }

    @Test
    void embedding_lookup() {
        float[] table = {0, 0, 1, 1, 2, 2}; // vocab 3, dim 2
        assertThat(Embedding.lookup(new int[] {2, 0, 2}, table, 3, 2)).containsExactly(2, 2, 0, 0, 2, 2);
        assertThatThrownBy(() -> Embedding.lookup(new int[] {3}, table, 3, 2))
                .hasMessage("token id 3 at position 0 is outside [0, 3)");
    }

    @Test
    void layerNorm_knownValues() {
        // mean 2, variance 2/3; (x - 2) / sqrt(2/3 + 1e-5) = ∓1.2247356
        float[] y = LayerNorm.apply(new float[] {1, 2, 3}, 1, 3, new float[] {1, 1, 1}, new float[] {0, 0, 0}, 1e-5f);
        assertThat(y[0]).isCloseTo(-1.2247356f, TIGHT);
        assertThat(y[1]).isEqualTo(0f);
        assertThat(y[2]).isCloseTo(1.2247356f, TIGHT);
        double expected = 1 / Math.sqrt(2.0 / 3 + 1e-5);
        assertThat((double) y[2]).isCloseTo(expected, within(1e-6));
    }

    @Test
    void layerNorm_affineAndRows() {
        // row 2 is constant: variance 0 -> (x - mean) = 0 -> beta
        float[] y = LayerNorm.apply(new float[] {1, 2, 3, 5, 5, 5}, 2, 3, new float[] {2, 1, 0.5f},
                new float[] {0, 1, -1}, 1e-5f);
        assertThat(y[0]).isCloseTo(2 * -1.2247356f, TIGHT);
        assertThat(y[1]).isEqualTo(1f);
        assertThat(y[2]).isCloseTo(0.5f * 1.2247356f - 1, TIGHT);
        assertThat(new float[] {y[3], y[4], y[5]}).containsExactly(0f, 1f, -1f);
    }

    @Test
    void activations_knownValues() {
        assertThat(Activation.RELU.apply(new float[] {-2, -0f, 0, 3})).containsExactly(0, 0, 0, 3);
        assertThat(Activation.RELU.apply(Float.NaN)).isNaN();
        // GELU tanh approximation: 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3)))
        assertThat(Activation.GELU.apply(1f)).isCloseTo(0.8411920f, TIGHT);
        assertThat(Activation.GELU.apply(-1f)).isCloseTo(-0.1588080f, TIGHT);
        assertThat(Activation.GELU.apply(2f)).isCloseTo(1.9545977f, TIGHT);
        assertThat(Activation.GELU.apply(0f)).isEqualTo(0f);
        assertThat(Activation.GELU.apply(-3f)).isCloseTo(-0.003637433f, within(1e-8f));
        assertThat(Activation.TANH.apply(0.5f)).isEqualTo(0.46211717f);
        assertThat(Activation.TANH.apply(-1f)).isEqualTo(-0.7615942f);
        assertThat(Activation.TANH.apply(0.001f)).isEqualTo(0.0009999997f);
        assertThat(Activation.TANH.apply(20f)).isEqualTo(1f);
        assertThat(Activation.byName("gelu")).isEqualTo(Activation.GELU);
    }

    @Test
    void softmax_knownValues() {
        float[] p = Softmax.apply(new float[] {1, 2, 3});
        assertThat(p[0]).isCloseTo(0.09003057f, TIGHT);
        assertThat(p[1]).isCloseTo(0.24472847f, TIGHT);
        assertThat(p[2]).isCloseTo(0.66524096f, TIGHT);
        // max subtraction: huge logits do not overflow
        float[] q = Softmax.apply(new float[] {1000, 1000});
        assertThat(q).containsExactly(0.5f, 0.5f);
        float[] rows = Softmax.applyRows(new float[] {0, 0, 0, 2, 3, 0}, 2, 3);
        assertThat(rows[0]).isCloseTo(1f / 3, TIGHT);
        assertThat(rows[5]).isCloseTo(0.03511903f, TIGHT); // row [2, 3, 0]: e^0 / (e^2 + e^3 + e^0)
    }

    @Test
    void attention_twoTokensByHand() {
        // q = k = [[1, 0], [0, 1]], v = [[1, 2], [3, 4]], d = 2, scale = 1/sqrt(2)
        // scores: token 0 -> [1/√2, 0], token 1 -> [0, 1/√2]; p = sigmoid(1/√2) = 0.66976 on the matching key
        float[] q = {1, 0, 0, 1};
        float[] v = {1, 2, 3, 4};
        double p = 1 / (1 + Math.exp(-1 / Math.sqrt(2))); // 0.669752...
        float[] out = Attention.scaledDotProduct(q, q, v, 2, 2, false);
        assertThat((double) out[0]).isCloseTo(p * 1 + (1 - p) * 3, within(1e-6)); // 1.6604769
        assertThat((double) out[1]).isCloseTo(p * 2 + (1 - p) * 4, within(1e-6)); // 2.6604769
        assertThat((double) out[2]).isCloseTo((1 - p) * 1 + p * 3, within(1e-6)); // 2.3395231
        assertThat((double) out[3]).isCloseTo((1 - p) * 2 + p * 4, within(1e-6)); // 3.3395231
        assertThat(out[0]).isCloseTo(1.6604769f, TIGHT);

        float[] causal = Attention.scaledDotProduct(q, q, v, 2, 2, true);
        // token 0 sees only itself -> v0; token 1 sees both -> same as above
        assertThat(causal[0]).isEqualTo(1f);
        assertThat(causal[1]).isEqualTo(2f);
        assertThat(causal[2]).isEqualTo(out[2]);
        assertThat(causal[3]).isEqualTo(out[3]);
    }

    @Test
    void attention_multiHeadIsHeadsSideBySide() {
        // two heads of width 2 over D = 4: head 0 is the case above, head 1 has identical keys -> uniform weights
        float[] q = {1, 0, 5, 5, 0, 1, 5, 5};
        float[] k = {1, 0, 1, 1, 0, 1, 1, 1};
        float[] v = {1, 2, 10, 20, 3, 4, 30, 40};
        float[] out = Attention.multiHead(q, k, v, 2, 2, 4, false);
        float[] head0 = Attention.scaledDotProduct(new float[] {1, 0, 0, 1}, new float[] {1, 0, 0, 1},
                new float[] {1, 2, 3, 4}, 2, 2, false);
        assertThat(new float[] {out[0], out[1], out[4], out[5]}).containsExactly(head0);
        assertThat(new float[] {out[2], out[3], out[6], out[7]}).containsExactly(20f, 30f, 20f, 30f);
        assertThatThrownBy(() -> Attention.multiHead(q, k, v, 2, 3, 4, false))
                .hasMessage("model width 4 is not a multiple of 3 heads");
    }

    @Test
    void meanPooling() {
        assertThat(Pooling.mean(new float[] {1, 2, 3, 5}, 2, 2)).containsExactly(2f, 3.5f);
        assertThat(Pooling.mean(new float[] {1, 2, 3}, 3, 1)).containsExactly(2f);
    }
}
