package check;

import dev.grove.runtime.model.Architecture;
import dev.grove.runtime.model.Model;
import dev.grove.runtime.model.TensorSpec;
import dev.grove.runtime.safetensors.SafetensorsFile;
import dev.grove.runtime.safetensors.SafetensorsWriter;
import java.util.HashMap;
import java.util.Map;

public class Main {
    public static void main(String[] args) throws Exception {
        run("mlp", Map.of("architecture", "mlp", "buckets", "256", "classes", "3", "hidden", "16", "activation", "gelu"));
        Map<String, String> tt = new HashMap<>();
        tt.put("architecture", "tiny-transformer"); tt.put("d_model", "8"); tt.put("heads", "2"); tt.put("layers", "2");
        tt.put("ff", "16"); tt.put("context", "24"); tt.put("classes", "3"); tt.put("causal", "true");
        run("tt", tt);
    }

    static void run(String label, Map<String, String> config) throws Exception {
        Architecture a = Architecture.fromConfig(config);
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
        Model m = Model.load(a, SafetensorsFile.parse(w.toBytes()));
        for (String text : new String[] {"hello world", "Grüße, 世界 😀"}) {
            float[] p = m.predict(text);
            StringBuilder sb = new StringBuilder(label + " ");
            for (float f : p) {
                sb.append(Integer.toHexString(Float.floatToIntBits(f))).append(' ');
            }
            System.out.println(sb);
        }
    }
}
