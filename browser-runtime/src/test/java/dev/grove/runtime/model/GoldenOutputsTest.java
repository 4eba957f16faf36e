package dev.grove.runtime.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.runtime.safetensors.SafetensorsFile;
import dev.grove.runtime.safetensors.SafetensorsWriter;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pins the exact output bits of two small models with weights from a fixed integer generator. The same program compiled
 * by TeaVM 0.15.0 to WebAssembly-GC and run in headless Chromium printed these very bits (see
 * {@code src/test/teavm-smoke/}); the TeaVM JavaScript build matched the transformer exactly and the MLP within 2 ulp. A
 * change to any op's order of operations shows up here first.
 */
class GoldenOutputsTest {

    static SafetensorsFile lcgWeights(Architecture a) throws Exception {
        SafetensorsWriter w = new SafetensorsWriter();
        int seed = 12345;
        for (TensorSpec s : a.expectedTensors()) {
            float[] v = new float[(int) s.elementCount()];
            for (int i = 0; i < v.length; i++) {
                seed = seed * 1103515245 + 12345;
                v[i] = ((seed >>> 8) & 0xffff) / 65536f - 0.5f;
            }
            w.addF32(s.name(), s.shape(), v);
        }
        return SafetensorsFile.parse(w.toBytes());
    }

    static String bits(float[] p) {
        StringBuilder sb = new StringBuilder();
        for (float f : p) {
            sb.append(Integer.toHexString(Float.floatToIntBits(f))).append(' ');
        }
        return sb.toString().trim();
    }

    @Test
    void mlp() throws Exception {
        Architecture a = Architecture.fromConfig(Map.of("architecture", "mlp", "buckets", "256", "classes", "3",
                "hidden", "16", "activation", "gelu"));
        Model m = Model.load(a, lcgWeights(a));
        assertThat(bits(m.predict("hello world"))).isEqualTo("3de9021b 3ee98d6b 3edc320c");
        assertThat(bits(m.predict("Grüße, 世界 😀"))).isEqualTo("3d9e3f9f 3edb6f8c 3efd008c");
    }

    @Test
    void tinyTransformer() throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put("architecture", "tiny-transformer");
        config.put("d_model", "8");
        config.put("heads", "2");
        config.put("layers", "2");
        config.put("ff", "16");
        config.put("context", "24");
        config.put("classes", "3");
        config.put("causal", "true");
        Architecture a = Architecture.fromConfig(config);
        Model m = Model.load(a, lcgWeights(a));
        assertThat(bits(m.predict("hello world"))).isEqualTo("3ed64ec4 3e9c4353 3e8d6de9");
        assertThat(bits(m.predict("Grüße, 世界 😀"))).isEqualTo("3ecf351b 3ea211ed 3e8eb8f8");
    }
}
