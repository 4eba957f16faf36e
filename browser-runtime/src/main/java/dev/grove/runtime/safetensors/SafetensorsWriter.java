package dev.grove.runtime.safetensors;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a safetensors file in memory.
 *
 * <p>The header is compact JSON written the way the reference implementation (serde_json) writes it: {@code __metadata__}
 * first when there is any, then one entry per tensor with the keys {@code dtype}, {@code shape}, {@code data_offsets};
 * strings escape only {@code "}, {@code \} and control characters; the header is padded with spaces to a multiple of 8
 * bytes. Tensors are laid out contiguously <em>in insertion order</em>. (The reference implementation instead sorts by
 * descending dtype alignment, then by name; add tensors in that order, e.g. all F32 before I8, to get byte-identical files
 * and naturally aligned data.) A writer may be used once or many times; {@link #toBytes()} does not change it.
 */
public final class SafetensorsWriter {
    private static final class Entry {
        final String name;
        final Dtype dtype;
        final long[] shape;
        final byte[] bytes;

        Entry(String name, Dtype dtype, long[] shape, byte[] bytes) {
            this.name = name;
            this.dtype = dtype;
            this.shape = shape;
            this.bytes = bytes;
        }
    }

    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final List<Entry> entries = new ArrayList<>();

    /** Adds (or replaces) one {@code __metadata__} string. */
    public SafetensorsWriter metadata(String key, String value) {
        checkText(key, "metadata key");
        checkText(value, "metadata value");
        metadata.put(key, value);
        return this;
    }

    /** Adds a tensor from its raw little-endian bytes, whose length must match the dtype and shape. */
    public SafetensorsWriter add(String name, Dtype dtype, long[] shape, byte[] raw) {
        checkText(name, "tensor name");
        if ("__metadata__".equals(name)) {
            throw new IllegalArgumentException("'__metadata__' is reserved and cannot name a tensor");
        }
        for (Entry e : entries) {
            if (e.name.equals(name)) {
                throw new IllegalArgumentException("tensor '" + name + "' was already added");
            }
        }
        long count = elementCount(name, shape);
        if (count * dtype.size() != raw.length) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + TensorInfo.shapeString(shape)
                    + " of " + dtype + " needs " + count * dtype.size() + " bytes, got " + raw.length);
        }
        entries.add(new Entry(name, dtype, shape.clone(), raw.clone()));
        return this;
    }

    public SafetensorsWriter addF32(String name, long[] shape, float[] values) {
        checkCount(name, shape, values.length);
        byte[] raw = new byte[values.length * 4];
        for (int i = 0; i < values.length; i++) {
            putInt(raw, i * 4, Float.floatToRawIntBits(values[i]));
        }
        return add(name, Dtype.F32, shape, raw);
    }

    /** Adds an F16 tensor, each value rounded to nearest binary16 (ties to even). */
    public SafetensorsWriter addF16(String name, long[] shape, float[] values) {
        checkCount(name, shape, values.length);
        byte[] raw = new byte[values.length * 2];
        for (int i = 0; i < values.length; i++) {
            short h = Float16.fromFloat(values[i]);
            raw[2 * i] = (byte) h;
            raw[2 * i + 1] = (byte) (h >> 8);
        }
        return add(name, Dtype.F16, shape, raw);
    }

    public SafetensorsWriter addI8(String name, long[] shape, byte[] values) {
        return add(name, Dtype.I8, shape, values);
    }

    /** Adds a U8 tensor; each value must be in 0..255. */
    public SafetensorsWriter addU8(String name, long[] shape, int[] values) {
        checkCount(name, shape, values.length);
        byte[] raw = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0 || values[i] > 255) {
                throw new IllegalArgumentException("tensor '" + name + "': U8 value " + values[i] + " out of range");
            }
            raw[i] = (byte) values[i];
        }
        return add(name, Dtype.U8, shape, raw);
    }

    public SafetensorsWriter addI32(String name, long[] shape, int[] values) {
        checkCount(name, shape, values.length);
        byte[] raw = new byte[values.length * 4];
        for (int i = 0; i < values.length; i++) {
            putInt(raw, i * 4, values[i]);
        }
        return add(name, Dtype.I32, shape, raw);
    }

    public SafetensorsWriter addI64(String name, long[] shape, long[] values) {
        checkCount(name, shape, values.length);
        byte[] raw = new byte[values.length * 8];
        for (int i = 0; i < values.length; i++) {
            putInt(raw, i * 8, (int) values[i]);
            putInt(raw, i * 8 + 4, (int) (values[i] >>> 32));
        }
        return add(name, Dtype.I64, shape, raw);
    }

    public SafetensorsWriter addBool(String name, long[] shape, boolean[] values) {
        checkCount(name, shape, values.length);
        byte[] raw = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            raw[i] = (byte) (values[i] ? 1 : 0);
        }
        return add(name, Dtype.BOOL, shape, raw);
    }

    /** The complete file: length prefix, padded header, data. */
    public byte[] toBytes() {
        StringBuilder json = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            string(json, "__metadata__").append(":{");
            boolean first = true;
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (!first) {
                    json.append(',');
                }
                first = false;
                string(json, e.getKey()).append(':');
                string(json, e.getValue());
            }
            json.append('}');
        }
        long offset = 0;
        for (Entry e : entries) {
            if (json.length() > 1) {
                json.append(',');
            }
            string(json, e.name).append(":{\"dtype\":\"").append(e.dtype.name()).append("\",\"shape\":[");
            for (int i = 0; i < e.shape.length; i++) {
                if (i > 0) {
                    json.append(',');
                }
                json.append(e.shape[i]);
            }
            json.append("],\"data_offsets\":[").append(offset).append(',');
            offset += e.bytes.length;
            json.append(offset).append("]}");
        }
        json.append('}');
        byte[] header = json.toString().getBytes(StandardCharsets.UTF_8);
        int padded = header.length + (8 - header.length % 8) % 8;
        long total = 8L + padded + offset;
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("file of " + total + " bytes does not fit in a byte array");
        }
        byte[] out = new byte[(int) total];
        putInt(out, 0, padded);
        System.arraycopy(header, 0, out, 8, header.length);
        for (int i = 8 + header.length; i < 8 + padded; i++) {
            out[i] = ' ';
        }
        int at = 8 + padded;
        for (Entry e : entries) {
            System.arraycopy(e.bytes, 0, out, at, e.bytes.length);
            at += e.bytes.length;
        }
        return out;
    }

    private static StringBuilder string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\b': sb.append("\\b"); break;
                case '\f': sb.append("\\f"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        sb.append("\\u00").append(SafetensorsFile.hex2(c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        return sb.append('"');
    }

    private static void checkText(String s, String what) {
        if (s == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(what + " has a lone surrogate at index " + i);
            }
        }
    }

    private static long elementCount(String name, long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0 || (d != 0 && n > Integer.MAX_VALUE / d)) {
                throw new IllegalArgumentException("tensor '" + name + "': invalid shape " + TensorInfo.shapeString(shape));
            }
            n *= d;
        }
        return n;
    }

    private static void checkCount(String name, long[] shape, int given) {
        long n = elementCount(name, shape);
        if (n != given) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + TensorInfo.shapeString(shape) + " has "
                    + n + " elements but " + given + " values were given");
        }
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }
}
