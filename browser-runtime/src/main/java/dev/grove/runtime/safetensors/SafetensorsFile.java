package dev.grove.runtime.safetensors;

import dev.grove.json.Json;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonException;
import dev.grove.json.JsonNumber;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonString;
import dev.grove.json.JsonValue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed and validated safetensors file: its header (tensor name to dtype, shape and byte range), its
 * {@code __metadata__} strings, and a private copy of its data section.
 *
 * <p>{@link #parse(byte[])} accepts a file only when every tensor's byte range matches its dtype and shape, lies inside
 * the data section, and the ranges tile the data section exactly: no overlap, no byte left over. Instances are
 * immutable; every accessor returns a fresh array. The header is read by the one strict JSON reader of
 * {@code dev.grove.json} (duplicate keys, invalid UTF-8, lone surrogates, NUL escapes and nesting deeper than
 * {@value dev.grove.json.Json#MAX_DEPTH} refused), its errors given as byte offsets into the header.
 */
public final class SafetensorsFile {
    /** Largest header accepted, in bytes (the reference implementation's limit). */
    public static final long MAX_HEADER_LENGTH = 100_000_000L;

    private static final String METADATA_KEY = "__metadata__";

    private final List<TensorInfo> tensors;
    private final Map<String, TensorInfo> byName;
    private final Map<String, String> metadata;
    private final long headerLength;
    private final byte[] data;

    private SafetensorsFile(List<TensorInfo> tensors, Map<String, TensorInfo> byName, Map<String, String> metadata,
            long headerLength, byte[] data) {
        this.tensors = Collections.unmodifiableList(tensors);
        this.byName = byName;
        this.metadata = Collections.unmodifiableMap(metadata);
        this.headerLength = headerLength;
        this.data = data;
    }

    /**
     * Parses and validates a complete safetensors file. The bytes are copied, so later changes to {@code file} have no
     * effect on the result.
     *
     * @throws SafetensorsException naming the first problem found; no other exception escapes for any input
     */
    public static SafetensorsFile parse(byte[] file) throws SafetensorsException {
        if (file == null) {
            throw new IllegalArgumentException("file is null");
        }
        if (file.length < 8) {
            throw new SafetensorsException("file is " + file.length
                    + " bytes, shorter than the 8-byte header length prefix");
        }
        long n = 0;
        for (int i = 7; i >= 0; i--) {
            n = (n << 8) | (file[i] & 0xff);
        }
        if (n < 0 || n > MAX_HEADER_LENGTH) {
            throw new SafetensorsException("header length " + Long.toUnsignedString(n) + " exceeds the cap of "
                    + MAX_HEADER_LENGTH + " bytes");
        }
        long available = file.length - 8L;
        if (n > available) {
            throw new SafetensorsException("header length " + n + " exceeds the file: only " + available
                    + " bytes follow the length prefix");
        }
        int headerEnd = 8 + (int) n;
        if (n == 0 || file[8] != '{') {
            throw new SafetensorsException(n == 0 ? "header is empty, expected a JSON object"
                    : "header does not start with '{' (first byte is 0x" + hex2(file[8] & 0xff) + ")");
        }
        JsonValue root = header(file, headerEnd);
        if (!(root instanceof JsonObject entries)) {
            throw new SafetensorsException("header is not a JSON object");
        }
        long dataLength = file.length - (long) headerEnd;

        List<TensorInfo> tensors = new ArrayList<>();
        Map<String, TensorInfo> byName = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> e : entries.members().entrySet()) {
            if (METADATA_KEY.equals(e.getKey())) {
                readMetadata(e.getValue(), metadata);
            } else {
                TensorInfo t = readTensor(e.getKey(), e.getValue(), dataLength);
                tensors.add(t);
                byName.put(t.name(), t);
            }
        }
        checkTiling(tensors, dataLength);

        byte[] data = new byte[(int) dataLength];
        System.arraycopy(file, headerEnd, data, 0, data.length);
        return new SafetensorsFile(tensors, byName, metadata, n, data);
    }

    /** The header {@code file[8, headerEnd)} as JSON; a JSON error names its byte in the header. */
    private static JsonValue header(byte[] file, int headerEnd) throws SafetensorsException {
        try {
            return Json.parse(Arrays.copyOfRange(file, 8, headerEnd));
        } catch (JsonException e) {
            if (e.offset() < 0) {
                throw new SafetensorsException("header is not valid JSON: " + e.reason());
            }
            int at = e.isByteOffset() ? e.offset() : byteOffset(file, 8, headerEnd, e.offset());
            String reason = e.isByteOffset() ? "invalid UTF-8 byte 0x" + hex2(file[8 + at] & 0xff) : e.reason();
            throw new SafetensorsException("header is not valid JSON: " + reason + " at header byte " + at);
        }
    }

    /** The byte offset in {@code b[from, to)} (valid UTF-8) of the char at UTF-16 offset {@code chars}. */
    private static int byteOffset(byte[] b, int from, int to, int chars) {
        int i = from;
        int units = 0;
        while (i < to && units < chars) {
            int c = b[i] & 0xff;
            if (c < 0x80) {
                i += 1;
                units += 1;
            } else if (c < 0xE0) {
                i += 2;
                units += 1;
            } else if (c < 0xF0) {
                i += 3;
                units += 1;
            } else {
                i += 4;
                units += 2;
            }
        }
        return Math.min(i, to) - from;
    }

    static String hex2(int u) {
        String h = Integer.toHexString(u);
        return h.length() == 1 ? "0" + h : h;
    }

    private static void readMetadata(JsonValue value, Map<String, String> out) throws SafetensorsException {
        if (!(value instanceof JsonObject m)) {
            throw new SafetensorsException("__metadata__ is not a JSON object");
        }
        for (Map.Entry<String, JsonValue> e : m.members().entrySet()) {
            if (!(e.getValue() instanceof JsonString v)) {
                throw new SafetensorsException("__metadata__ value of \"" + e.getKey() + "\" is not a string");
            }
            out.put(e.getKey(), v.value());
        }
    }

    private static TensorInfo readTensor(String name, JsonValue value, long dataLength) throws SafetensorsException {
        String where = "tensor '" + name + "': ";
        if (!(value instanceof JsonObject m)) {
            throw new SafetensorsException(where + "entry is not a JSON object");
        }
        for (String key : m.members().keySet()) {
            if (!key.equals("dtype") && !key.equals("shape") && !key.equals("data_offsets")) {
                throw new SafetensorsException(where + "unknown key \"" + key + "\"");
            }
        }
        JsonValue dtypeValue = require(m, "dtype", where);
        JsonValue shapeValue = require(m, "shape", where);
        JsonValue offsetsValue = require(m, "data_offsets", where);

        if (!(dtypeValue instanceof JsonString dtypeName)) {
            throw new SafetensorsException(where + "dtype is not a string");
        }
        Dtype dtype = Dtype.byName(dtypeName.value());
        if (dtype == null) {
            throw new SafetensorsException(where + "unknown dtype \"" + dtypeName.value() + "\" (supported: "
                    + Dtype.supportedNames() + ")");
        }
        long[] shape = integers(shapeValue, -1, where + "shape must be an array of non-negative integers");
        long[] offsets = integers(offsetsValue, 2, where + "data_offsets must be an array of two non-negative integers");
        long begin = offsets[0];
        long end = offsets[1];
        String range = "[" + begin + ", " + end + "]";
        if (end < begin) {
            throw new SafetensorsException(where + "data_offsets " + range + " end before they begin");
        }
        long count = 1;
        for (long d : shape) {
            if (d != 0 && count > Long.MAX_VALUE / d) {
                throw new SafetensorsException(where + "shape " + TensorInfo.shapeString(shape) + " overflows");
            }
            count *= d;
        }
        if (count > Long.MAX_VALUE / dtype.size()) {
            throw new SafetensorsException(where + "shape " + TensorInfo.shapeString(shape) + " overflows");
        }
        long bytes = count * dtype.size();
        if (end - begin != bytes) {
            throw new SafetensorsException(where + "shape " + TensorInfo.shapeString(shape) + " of " + dtype
                    + " needs " + bytes + " bytes but data_offsets " + range + " span " + (end - begin));
        }
        if (end > dataLength) {
            throw new SafetensorsException(where + "data_offsets " + range + " run past the end of the "
                    + dataLength + "-byte data section");
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    private static JsonValue require(JsonObject m, String key, String where) throws SafetensorsException {
        JsonValue v = m.members().get(key);
        if (v == null) {
            throw new SafetensorsException(where + "missing \"" + key + "\"");
        }
        return v;
    }

    /** An array of non-negative integer literals below 2^63; {@code expected} elements, or any number when negative. */
    private static long[] integers(JsonValue value, int expected, String message) throws SafetensorsException {
        if (!(value instanceof JsonArray list)) {
            throw new SafetensorsException(message);
        }
        if (expected >= 0 && list.size() != expected) {
            throw new SafetensorsException(message);
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof JsonNumber number)) {
                throw new SafetensorsException(message);
            }
            String text = number.literal();
            long v = 0;
            for (int j = 0; j < text.length(); j++) {
                char c = text.charAt(j);
                if (c < '0' || c > '9' || v > (Long.MAX_VALUE - (c - '0')) / 10) {
                    throw new SafetensorsException(message);
                }
                v = v * 10 + (c - '0');
            }
            out[i] = v;
        }
        return out;
    }

    /** The byte ranges, in offset order, must cover {@code [0, dataLength)} exactly once. */
    private static void checkTiling(List<TensorInfo> tensors, long dataLength) throws SafetensorsException {
        List<TensorInfo> sorted = new ArrayList<>(tensors);
        sorted.sort((a, b) -> a.begin() != b.begin() ? Long.compare(a.begin(), b.begin())
                : Long.compare(a.end(), b.end()));
        long cursor = 0;
        TensorInfo previous = null;
        for (TensorInfo t : sorted) {
            if (t.begin() < cursor) {
                throw new SafetensorsException("tensors '" + previous.name() + "' [" + previous.begin() + ", "
                        + previous.end() + "] and '" + t.name() + "' [" + t.begin() + ", " + t.end() + "] overlap");
            }
            if (t.begin() > cursor) {
                throw new SafetensorsException("data bytes [" + cursor + ", " + t.begin() + ") belong to no tensor");
            }
            cursor = t.end();
            previous = t;
        }
        if (cursor < dataLength) {
            throw new SafetensorsException("data bytes [" + cursor + ", " + dataLength + ") belong to no tensor");
        }
    }

    /** The tensors in header order. */
    public List<TensorInfo> tensors() {
        return tensors;
    }

    /** Whether the file holds a tensor of this name. */
    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    /** The header entry of a tensor. */
    public TensorInfo tensor(String name) throws SafetensorsException {
        TensorInfo t = byName.get(name);
        if (t == null) {
            throw new SafetensorsException("no tensor named '" + name + "'");
        }
        return t;
    }

    /** The {@code __metadata__} strings in header order (empty when the header has none). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Length of the JSON header in bytes, padding included. */
    public long headerLength() {
        return headerLength;
    }

    /** Length of the data section in bytes. */
    public int dataLength() {
        return data.length;
    }

    /** A copy of the tensor's shape. */
    public long[] shape(String name) throws SafetensorsException {
        return tensor(name).shape();
    }

    /** The raw little-endian bytes of a tensor, whatever its dtype. */
    public byte[] bytes(String name) throws SafetensorsException {
        TensorInfo t = tensor(name);
        byte[] out = new byte[(int) t.byteLength()];
        System.arraycopy(data, (int) t.begin(), out, 0, out.length);
        return out;
    }

    /** The elements of an F32 tensor, or of an F16 tensor widened exactly to {@code float}. */
    public float[] floats(String name) throws SafetensorsException {
        TensorInfo t = tensor(name);
        int at = (int) t.begin();
        int n = (int) t.elementCount();
        float[] out = new float[n];
        if (t.dtype() == Dtype.F32) {
            for (int i = 0; i < n; i++, at += 4) {
                out[i] = Float.intBitsToFloat((data[at] & 0xff) | (data[at + 1] & 0xff) << 8
                        | (data[at + 2] & 0xff) << 16 | (data[at + 3] & 0xff) << 24);
            }
        } else if (t.dtype() == Dtype.F16) {
            for (int i = 0; i < n; i++, at += 2) {
                out[i] = Float16.toFloat((data[at] & 0xff) | (data[at + 1] & 0xff) << 8);
            }
        } else {
            throw wrongDtype(t, "F32 or F16");
        }
        return out;
    }

    /** The elements of an I8 tensor. */
    public byte[] int8(String name) throws SafetensorsException {
        TensorInfo t = tensor(name);
        if (t.dtype() != Dtype.I8) {
            throw wrongDtype(t, "I8");
        }
        return bytes(name);
    }

    /** The elements of a U8 tensor, as values 0 to 255. */
    public int[] uint8(String name) throws SafetensorsException {
        TensorInfo t = tensor(name);
        if (t.dtype() != Dtype.U8) {
            throw wrongDtype(t, "U8");
        }
        int at = (int) t.begin();
        int[] out = new int[(int) t.elementCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = data[at + i] & 0xff;
        }
        return out;
    }

    /** The elements of an I32 tensor. */
    public int[] int32(String name) throws SafetensorsException {
        TensorInfo t = tensor(name);
        if (t.dtype() != Dtype.I32) {
            throw wrongDtype(t, "I32");
        }
        int at = (int) t.begin();
        int[] out = new int[(int) t.elementCount()];
        for (int i = 0; i < out.length; i++, at += 4) {
            out[i] = (data[at] & 0xff) | (data[at + 1] & 0xff) << 8 | (data[at + 2] & 0xff) << 16
                    | (data[at + 3] & 0xff) << 24;
        }
        return out;
    }

    /** The elements of an I64 tensor. */
    public long[] int64(String name) throws SafetensorsException {
        TensorInfo t = tensor(name);
        if (t.dtype() != Dtype.I64) {
            throw wrongDtype(t, "I64");
        }
        int at = (int) t.begin();
        long[] out = new long[(int) t.elementCount()];
        for (int i = 0; i < out.length; i++, at += 8) {
            long v = 0;
            for (int j = 7; j >= 0; j--) {
                v = (v << 8) | (data[at + j] & 0xff);
            }
            out[i] = v;
        }
        return out;
    }

    /** The elements of a BOOL tensor; a byte other than 0 or 1 is refused. */
    public boolean[] bools(String name) throws SafetensorsException {
        TensorInfo t = tensor(name);
        if (t.dtype() != Dtype.BOOL) {
            throw wrongDtype(t, "BOOL");
        }
        int at = (int) t.begin();
        boolean[] out = new boolean[(int) t.elementCount()];
        for (int i = 0; i < out.length; i++) {
            int b = data[at + i] & 0xff;
            if (b > 1) {
                throw new SafetensorsException("tensor '" + name + "': BOOL element " + i + " is 0x"
                        + hex2(b) + ", not 0 or 1");
            }
            out[i] = b == 1;
        }
        return out;
    }

    private static SafetensorsException wrongDtype(TensorInfo t, String expected) {
        return new SafetensorsException("tensor '" + t.name() + "' has dtype " + t.dtype() + ", expected " + expected);
    }
}
