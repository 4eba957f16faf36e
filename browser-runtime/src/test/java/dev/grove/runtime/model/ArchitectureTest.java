package dev.grove.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.runtime.ops.Activation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    @Test
    void mlp_defaultsAndRoundTrip() throws Exception {
        Architecture a = Architecture.fromConfig(Map.of("architecture", "mlp", "buckets", "4096", "classes", "5"));
        assertThat(a).isEqualTo(new Mlp(List.of(1, 2, 3), 4096, List.of(), Activation.RELU, 5, WeightFormat.F32));
        assertThat(a.toConfig()).containsExactly(Map.entry("architecture", "mlp"), Map.entry("ngram_orders", "1,2,3"),
                Map.entry("buckets", "4096"), Map.entry("hidden", ""), Map.entry("activation", "relu"),
                Map.entry("classes", "5"), Map.entry("weights", "f32"));
        assertThat(Architecture.fromConfig(a.toConfig())).isEqualTo(a);
    }

    @Test
    void mlp_tensorNames() throws Exception {
        Architecture a = Architecture.fromConfig(Map.of("architecture", "mlp", "buckets", "16", "classes", "3",
                "hidden", "8, 4", "weights", "int8", "activation", "tanh"));
        assertThat(a.expectedTensors()).extracting(TensorSpec::toString).containsExactly(
                "dense0.weight I8 [16, 8]", "dense0.scale F32 [8]", "dense0.bias F32 [8]",
                "dense1.weight I8 [8, 4]", "dense1.scale F32 [4]", "dense1.bias F32 [4]",
                "dense2.weight I8 [4, 3]", "dense2.scale F32 [3]", "dense2.bias F32 [3]");
    }

    @Test
    void transformer_configAndTensorNames() throws Exception {
        Map<String, String> config = new HashMap<>(Map.of("architecture", "tiny-transformer", "d_model", "8",
                "heads", "2", "layers", "1", "ff", "16", "context", "32", "classes", "2", "eps", "1e-5"));
        TinyTransformer a = (TinyTransformer) Architecture.fromConfig(config);
        assertThat(a.eps()).isEqualTo(1e-5f);
        assertThat(a.activation()).isEqualTo(Activation.GELU);
        assertThat(a.causal()).isFalse();
        assertThat(Architecture.fromConfig(a.toConfig())).isEqualTo(a);
        assertThat(a.expectedTensors()).extracting(TensorSpec::toString).containsExactly(
                "embed.token F32 [257, 8]", "embed.position F32 [32, 8]",
                "block0.ln1.weight F32 [8]", "block0.ln1.bias F32 [8]",
                "block0.attn.q.weight F32 [8, 8]", "block0.attn.q.bias F32 [8]",
                "block0.attn.k.weight F32 [8, 8]", "block0.attn.k.bias F32 [8]",
                "block0.attn.v.weight F32 [8, 8]", "block0.attn.v.bias F32 [8]",
                "block0.attn.o.weight F32 [8, 8]", "block0.attn.o.bias F32 [8]",
                "block0.ln2.weight F32 [8]", "block0.ln2.bias F32 [8]",
                "block0.ff1.weight F32 [8, 16]", "block0.ff1.bias F32 [16]",
                "block0.ff2.weight F32 [16, 8]", "block0.ff2.bias F32 [8]",
                "final_ln.weight F32 [8]", "final_ln.bias F32 [8]",
                "head.weight F32 [8, 2]", "head.bias F32 [2]");
    }

    @Test
    void decimalEpsilon() throws Exception {
        Map<String, String> base = Map.of("architecture", "tiny-transformer", "d_model", "4", "heads", "1",
                "layers", "0", "ff", "4", "context", "4", "classes", "2");
        for (String[] c : new String[][] {{"0.001", "0.001"}, {"1E-6", "1e-6"}, {"1.0E-5", "1e-5"}, {"2.5e-3", "0.0025"}}) {
            Map<String, String> m = new HashMap<>(base);
            m.put("eps", c[0]);
            assertThat(((TinyTransformer) Architecture.fromConfig(m)).eps()).isEqualTo(Float.parseFloat(c[1]));
        }
    }

    @Test
    void rejections() {
        assertThatThrownBy(() -> Architecture.fromConfig(Map.of("buckets", "4")))
                .isInstanceOf(ModelException.class)
                .hasMessage("config: missing \"architecture\" (mlp or tiny-transformer)");
        assertThatThrownBy(() -> Architecture.fromConfig(Map.of("architecture", "cnn")))
                .hasMessage("config: unknown architecture \"cnn\" (mlp or tiny-transformer)");
        assertThatThrownBy(() -> Architecture.fromConfig(Map.of("architecture", "mlp", "classes", "2")))
                .hasMessage("mlp config: missing \"buckets\"");
        assertThatThrownBy(() -> Architecture.fromConfig(Map.of("architecture", "mlp", "buckets", "1000",
                "classes", "2")))
                .hasMessage("mlp config: buckets = 1000 is not a power of two");
        assertThatThrownBy(() -> Architecture.fromConfig(Map.of("architecture", "mlp", "buckets", "16",
                "classes", "2", "hiden", "4")))
                .hasMessage("mlp config: unknown key hiden (known: architecture, ngram_orders, buckets, hidden, "
                        + "activation, classes, weights)");
        assertThatThrownBy(() -> Architecture.fromConfig(Map.of("architecture", "mlp", "buckets", "16",
                "classes", "two")))
                .hasMessage("mlp config: classes = \"two\" is not an integer in 1..65536");
        assertThatThrownBy(() -> Architecture.fromConfig(Map.of("architecture", "mlp", "buckets", "16",
                "classes", "2", "weights", "int4")))
                .hasMessage("mlp config: weights = \"int4\" is not f32 or int8");
        assertThatThrownBy(() -> Architecture.fromConfig(Map.of("architecture", "tiny-transformer", "d_model", "6",
                "heads", "4")))
                .hasMessage("tiny-transformer config: d_model = 6 is not a multiple of heads = 4");
        assertThatThrownBy(() -> Architecture.fromConfig(Map.of("architecture", "tiny-transformer", "d_model", "4",
                "heads", "1", "layers", "0", "ff", "4", "context", "4", "classes", "2", "eps", "-1")))
                .hasMessage("tiny-transformer config: eps = \"-1\" is not a positive decimal number");
    }
}
