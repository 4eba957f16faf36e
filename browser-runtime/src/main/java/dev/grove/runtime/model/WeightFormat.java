package dev.grove.runtime.model;

/** How the matrices of dense layers are stored; biases, scales, embeddings and layer norms are always F32. */
public enum WeightFormat {
    /** {@code <layer>.weight} is F32 {@code [in, out]}. */
    F32,
    /**
     * {@code <layer>.weight} is I8 {@code [in, out]} plus {@code <layer>.scale} F32 {@code [out]}, one scale per output
     * column (see {@link dev.grove.runtime.ops.Quantization}).
     */
    INT8;

    /** The config value: {@code f32} or {@code int8}. */
    public String configName() {
        return this == F32 ? "f32" : "int8";
    }
}
