package dev.grove.runtime.safetensors;

import java.util.Arrays;

/**
 * One entry of a safetensors header: name, dtype, shape and the byte range {@code [begin, end)} of the tensor within the
 * data section (not the file). The shape is copied in and out.
 */
public final class TensorInfo {
    private final String name;
    private final Dtype dtype;
    private final long[] shape;
    private final long begin;
    private final long end;

    public TensorInfo(String name, Dtype dtype, long[] shape, long begin, long end) {
        if (name == null || dtype == null || shape == null) {
            throw new IllegalArgumentException("name, dtype and shape are required");
        }
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("invalid range [" + begin + ", " + end + ") for tensor '" + name + "'");
        }
        this.name = name;
        this.dtype = dtype;
        this.shape = shape.clone();
        this.begin = begin;
        this.end = end;
    }

    public String name() {
        return name;
    }

    public Dtype dtype() {
        return dtype;
    }

    /** A copy of the shape, outermost dimension first. */
    public long[] shape() {
        return shape.clone();
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** Number of elements: the product of the shape (1 for a scalar of rank 0). */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** First byte of the tensor, relative to the start of the data section. */
    public long begin() {
        return begin;
    }

    /** One past the last byte of the tensor, relative to the start of the data section. */
    public long end() {
        return end;
    }

    public long byteLength() {
        return end - begin;
    }

    /** The shape as {@code [2, 3]}, as used in error messages. */
    public static String shapeString(long[] shape) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(shape[i]);
        }
        return sb.append(']').toString();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TensorInfo)) {
            return false;
        }
        TensorInfo t = (TensorInfo) o;
        return name.equals(t.name) && dtype == t.dtype && Arrays.equals(shape, t.shape) && begin == t.begin && end == t.end;
    }

    @Override
    public int hashCode() {
        return ((name.hashCode() * 31 + dtype.hashCode()) * 31 + Arrays.hashCode(shape)) * 31 + Long.hashCode(begin);
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + shapeString(shape) + " [" + begin + ", " + end + ")";
    }
}
