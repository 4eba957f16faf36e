package dev.grove.runtime.safetensors;

/**
 * The element types Grove reads and writes, named as in the safetensors header. Other safetensors dtypes (BF16, F64, U16,
 * the FP8 variants, ...) are refused by the parser as unknown.
 */
public enum Dtype {
    /** IEEE 754 binary32. */
    F32(4),
    /** IEEE 754 binary16, widened to {@code float} when read. */
    F16(2),
    /** Signed 8-bit integer (two's complement). */
    I8(1),
    /** Signed 32-bit integer. */
    I32(4),
    /** Signed 64-bit integer. */
    I64(8),
    /** Unsigned 8-bit integer. */
    U8(1),
    /** One byte per element, 0 or 1. */
    BOOL(1);

    private final int size;

    Dtype(int size) {
        this.size = size;
    }

    /** Bytes per element. */
    public int size() {
        return size;
    }

    /** The dtype with this header name, or {@code null} when Grove does not support it. */
    public static Dtype byName(String name) {
        for (Dtype d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }

    /** The supported names, comma-separated, for error messages. */
    static String supportedNames() {
        StringBuilder sb = new StringBuilder();
        for (Dtype d : values()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(d.name());
        }
        return sb.toString();
    }
}
