package dev.grove.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.grove.runtime.ops.Activation;
import dev.grove.runtime.safetensors.SafetensorsFile;
import dev.grove.runtime.safetensors.SafetensorsWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelTest {

    private static Mlp mlp(List<Integer> hidden, int classes) {
        return new Mlp(List.of(1), 4, hidden, Activation.RELU, classes, WeightFormat.F32);
    }

    @Test
    void mlp_logisticRegressionByHand() throws Exception {
        // "a" -> " a " -> unigrams " " (FNV-1a 0x250c8f7f, bucket 3), "a" (0xe40c292c, bucket 0), " " (bucket 3)
        // features = [1, 0, 0, 2] / sqrt(5) = [0.4472136, 0, 0, 0.8944272]
        // W [4, 2] = [[1, -1], [0, 0], [0, 0], [1, 2]], b = [0, 0.5]
        // logits = [0.4472136 + 0.8944272, -0.4472136 + 1.7888544 + 0.5] = [1.3416408, 1.8416408]
        // softmax: p1 = 1 / (1 + e^-0.5) = 0.62245935
        SafetensorsFile f = SafetensorsFile.parse(new SafetensorsWriter()
                .addF32("dense0.weight", new long[] {4, 2}, new float[] {1, -1, 0, 0, 0, 0, 1, 2})
                .addF32("dense0.bias", new long[] {2}, new float[] {0, 0.5f})
                .toBytes());
        Model m = Model.load(mlp(List.of(), 2), f);
        assertThat(m.logits("a")[0]).isCloseTo(1.3416408f, within(1e-6f));
        assertThat(m.logits("a")[1]).isCloseTo(1.8416408f, within(1e-6f));
        float[] p = m.predict("a");
        assertThat(p[1]).isCloseTo(0.62245935f, within(1e-6f));
        assertThat(p[0]).isCloseTo(0.37754068f, within(1e-6f));
        assertThat(m.predict("A")).containsExactly(p); // lower-cased
    }

    @Test
    void mlp_hiddenLayerByHand() throws Exception {
        // dense0 as above with b = [0, -2]: pre-activation [1.3416408, -0.6583592] -> relu [1.3416408, 0]
        // dense1 W [2, 3] = [[1, 0, -1], [5, 5, 5]], b = 0 -> logits [1.3416408, 0, -1.3416408]
        SafetensorsFile f = SafetensorsFile.parse(new SafetensorsWriter()
                .addF32("dense0.weight", new long[] {4, 2}, new float[] {1, -1, 0, 0, 0, 0, 1, 2})
                .addF32("dense0.bias", new long[] {2}, new float[] {0, -2})
                .addF32("dense1.weight", new long[] {2, 3}, new float[] {1, 0, -1, 5, 5, 5})
                .addF32("dense1.bias", new long[] {3}, new float[] {0, 0, 0})
                .toBytes());
        Model m = Model.load(mlp(List.of(2), 3), f);
        float[] logits = m.logits("a");
        assertThat(logits[0]).isCloseTo(1.3416408f, within(1e-6f));
        assertThat(logits[1]).isEqualTo(0f);
        assertThat(logits[2]).isCloseTo(-1.3416408f, within(1e-6f));
        double z = Math.exp(1.3416408) + 1 + Math.exp(-1.3416408);
        float[] p = m.predict("a");
        assertThat((double) p[0]).isCloseTo(Math.exp(1.3416408) / z, within(1e-6));
        assertThat((double) p[1]).isCloseTo(1 / z, within(1e-6));
    }

    @Test
    void mlp_int8StaysCloseToFloat() throws Exception {
        Mlp f32 = new Mlp(List.of(1, 2, 3), 256, List.of(32), Activation.GELU, 4, WeightFormat.F32);
        Mlp int8 = new Mlp(List.of(1, 2, 3), 256, List.of(32), Activation.GELU, 4, WeightFormat.INT8);
        SafetensorsFile weights = TestWeights.random(f32, 1);
        Model a = Model.load(f32, weights);
        Model b = Model.load(int8, TestWeights.quantize(int8, weights));
        for (String text : new String[] {"hello world", "Grüße aus Köln", "¿qué tal?", "x"}) {
            float[] pa = a.predict(text);
            float[] pb = b.predict(text);
            for (int i = 0; i < pa.length; i++) {
                assertThat(pb[i]).as("%s class %d", text, i).isCloseTo(pa[i], within(0.01f));
            }
        }
    }

    private static final TinyTransformer TT = new TinyTransformer(8, 2, 2, 16, 12, 3, false, Activation.GELU, 1e-5f,
            WeightFormat.F32);

    @Test
    void transformer_matchesIndependentDoubleReference() throws Exception {
        for (boolean causal : new boolean[] {false, true}) {
            TinyTransformer arch = new TinyTransformer(8, 2, 2, 16, 12, 3, causal, Activation.GELU, 1e-5f,
                    WeightFormat.F32);
            SafetensorsFile weights = TestWeights.random(arch, 3);
            Model m = Model.load(arch, weights);
            for (String text : new String[] {"", "hi", "Ünïcödé text that is longer than the context"}) {
                double[] expected = ReferenceTransformer.logits(arch, weights, text);
                float[] actual = m.logits(text);
                for (int i = 0; i < expected.length; i++) {
                    assertThat((double) actual[i]).as("causal=%s %s logit %d", causal, text, i)
                            .isCloseTo(expected[i], within(1e-4));
                }
                float sum = 0;
                for (float p : m.predict(text)) {
                    sum += p;
                }
                assertThat(sum).isCloseTo(1f, within(1e-6f));
            }
        }
    }

    @Test
    void transformer_int8StaysCloseToFloat() throws Exception {
        TinyTransformer int8 = new TinyTransformer(8, 2, 2, 16, 12, 3, false, Activation.GELU, 1e-5f,
                WeightFormat.INT8);
        SafetensorsFile weights = TestWeights.random(TT, 5);
        Model a = Model.load(TT, weights);
        Model b = Model.load(int8, TestWeights.quantize(int8, weights));
        float[] pa = a.predict("bonjour");
        float[] pb = b.predict("bonjour");
        for (int i = 0; i < pa.length; i++) {
            assertThat(pb[i]).isCloseTo(pa[i], within(0.03f));
        }
    }

    @Test
    void predict_isDeterministic() throws Exception {
        Model m = Model.load(TT, TestWeights.random(TT, 9));
        float[] first = m.predict("same input");
        for (int i = 0; i < 5; i++) {
            assertThat(m.predict("same input")).containsExactly(first);
        }
    }

    @Test
    void tokens_bosThenUtf8BytesTruncatedToContext() {
        assertThat(TT.tokens("")).containsExactly(256);
        assertThat(TT.tokens("hé")).containsExactly(256, 'h', 0xC3, 0xA9);
        assertThat(TT.tokens("😀")).containsExactly(256, 0xF0, 0x9F, 0x98, 0x80);
        assertThat(TT.tokens("\uD800")).containsExactly(256, 0xEF, 0xBF, 0xBD);
        assertThat(TT.tokens("abcdefghijklmnop")).hasSize(12).endsWith('k');
    }

    // --- load rejections -------------------------------------------------------------------------------------------

    private static SafetensorsWriter validMlpWeights() {
        return new SafetensorsWriter()
                .addF32("dense0.weight", new long[] {4, 2}, new float[8])
                .addF32("dense0.bias", new long[] {2}, new float[2]);
    }

    @Test
    void load_valid() throws Exception {
        assertThat(Model.load(mlp(List.of(), 2), SafetensorsFile.parse(validMlpWeights().toBytes())).architecture())
                .isEqualTo(mlp(List.of(), 2));
    }

    @Test
    void load_missingTensor() {
        byte[] file = new SafetensorsWriter().addF32("dense0.weight", new long[] {4, 2}, new float[8]).toBytes();
        assertThatThrownBy(() -> Model.load(mlp(List.of(), 2), SafetensorsFile.parse(file)))
                .isInstanceOf(ModelException.class)
                .hasMessage("missing tensor 'dense0.bias' (mlp expects F32 [2])");
    }

    @Test
    void load_wrongDtype() {
        byte[] file = new SafetensorsWriter()
                .addI8("dense0.weight", new long[] {4, 2}, new byte[8])
                .addF32("dense0.bias", new long[] {2}, new float[2])
                .toBytes();
        assertThatThrownBy(() -> Model.load(mlp(List.of(), 2), SafetensorsFile.parse(file)))
                .hasMessage("tensor 'dense0.weight' has dtype I8, expected F32");
    }

    @Test
    void load_wrongShape() {
        byte[] file = new SafetensorsWriter()
                .addF32("dense0.weight", new long[] {2, 4}, new float[8])
                .addF32("dense0.bias", new long[] {2}, new float[2])
                .toBytes();
        assertThatThrownBy(() -> Model.load(mlp(List.of(), 2), SafetensorsFile.parse(file)))
                .hasMessage("tensor 'dense0.weight' has shape [2, 4], expected [4, 2]");
    }

    @Test
    void load_unexpectedTensor() {
        byte[] file = validMlpWeights().addF32("dense1.weight", new long[] {1}, new float[1]).toBytes();
        assertThatThrownBy(() -> Model.load(mlp(List.of(), 2), SafetensorsFile.parse(file)))
                .hasMessage("unexpected tensor 'dense1.weight' (not part of the mlp architecture)");
    }

    @Test
    void load_int8NeedsScale() throws Exception {
        Mlp int8 = new Mlp(List.of(1), 4, List.of(), Activation.RELU, 2, WeightFormat.INT8);
        byte[] file = new SafetensorsWriter()
                .addI8("dense0.weight", new long[] {4, 2}, new byte[8])
                .addF32("dense0.bias", new long[] {2}, new float[2])
                .toBytes();
        assertThatThrownBy(() -> Model.load(int8, SafetensorsFile.parse(file)))
                .hasMessage("missing tensor 'dense0.scale' (mlp expects F32 [2])");
    }

    @Test
    void load_fromConfig() throws Exception {
        Architecture arch = Architecture.fromConfig(Map.of("architecture", "mlp", "buckets", "4", "classes", "2",
                "ngram_orders", "1"));
        assertThat(Model.load(arch, SafetensorsFile.parse(validMlpWeights().toBytes())).predict("x")).hasSize(2);
    }
}
