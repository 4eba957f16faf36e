package dev.grove.runtime.model;

import dev.grove.runtime.ops.Dense;
import dev.grove.runtime.safetensors.SafetensorsException;
import dev.grove.runtime.safetensors.SafetensorsFile;

/** One dense layer's weights, float or int8, read from {@code <name>.weight|scale|bias}. */
final class DenseLayer {
    final int in;
    final int out;
    private final float[] weight;
    private final byte[] weightInt8;
    private final float[] scale;
    private final float[] bias;

    private DenseLayer(int in, int out, float[] weight, byte[] weightInt8, float[] scale, float[] bias) {
        this.in = in;
        this.out = out;
        this.weight = weight;
        this.weightInt8 = weightInt8;
        this.scale = scale;
        this.bias = bias;
    }

    static DenseLayer read(SafetensorsFile f, String name, int in, int out, WeightFormat format)
            throws SafetensorsException {
        float[] bias = f.floats(name + ".bias");
        if (format == WeightFormat.INT8) {
            return new DenseLayer(in, out, null, f.int8(name + ".weight"), f.floats(name + ".scale"), bias);
        }
        return new DenseLayer(in, out, f.floats(name + ".weight"), null, null, bias);
    }

    float[] apply(float[] x, int rows) {
        return weight != null ? Dense.apply(x, rows, weight, in, out, bias)
                : Dense.applyInt8(x, rows, weightInt8, scale, in, out, bias);
    }
}
