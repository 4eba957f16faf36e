package dev.grove.runtime.model;

import dev.grove.runtime.safetensors.Dtype;
import dev.grove.runtime.safetensors.TensorInfo;
import java.util.Arrays;

/** A tensor an architecture expects: name, dtype and shape. The shape is copied in and out. */
public final class TensorSpec {
    private final String name;
    private final Dtype dtype;
    private final long[] shape;

    public TensorSpec(String name, Dtype dtype, long... shape) {
        this.name = name;
        this.dtype = dtype;
        this.shape = shape.clone();
    }

    public String name() {
        return name;
    }

    public Dtype dtype() {
        return dtype;
    }

    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements. */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec && name.equals(((TensorSpec) o).name) && dtype == ((TensorSpec) o).dtype
                && Arrays.equals(shape, ((TensorSpec) o).shape);
    }

    @Override
    public int hashCode() {
        return (name.hashCode() * 31 + dtype.hashCode()) * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + TensorInfo.shapeString(shape);
    }
}
