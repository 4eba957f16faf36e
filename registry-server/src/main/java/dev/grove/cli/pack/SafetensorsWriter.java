package dev.grove.cli.pack;

import dev.grove.json.Json;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonNumber;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonValue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes float32 tensors in the safetensors layout (https://github.com/huggingface/safetensors): an 8-byte little-endian
 * header length, a JSON header {@code {"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]},
 * "__metadata__": {...}}} padded with spaces to a multiple of 8 bytes, then the raw little-endian data, tensors in the order
 * added. Only what {@code grove init} needs for its tiny scaffold model; the runtime owns the reader.
 */
public final class SafetensorsWriter {
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final List<String> names = new ArrayList<>();
    private final List<int[]> shapes = new ArrayList<>();
    private final List<float[]> data = new ArrayList<>();

    /** @throws IllegalArgumentException when the name is taken or the shape does not hold exactly {@code values} */
    public SafetensorsWriter add(String name, int[] shape, float[] values) {
        if (names.contains(name) || name.equals("__metadata__")) {
            throw new IllegalArgumentException("tensor name '" + name + "' is already used or reserved");
        }
        long count = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + name + "' has a negative dimension");
            }
            count *= d;
        }
        if (count != values.length) {
            throw new IllegalArgumentException("tensor '" + name + "' has shape holding " + count + " values, got "
                    + values.length);
        }
        names.add(name);
        shapes.add(shape.clone());
        data.add(values.clone());
        return this;
    }

    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /** The whole file. */
    public byte[] toBytes() {
        JsonObject.Builder header = JsonObject.builder();
        long offset = 0;
        for (int i = 0; i < names.size(); i++) {
            List<JsonValue> dims = new ArrayList<>();
            for (int d : shapes.get(i)) {
                dims.add(JsonNumber.of(d));
            }
            long end = offset + 4L * data.get(i).length;
            header.put(names.get(i), JsonObject.builder()
                    .put("dtype", "F32")
                    .put("shape", JsonArray.of(dims))
                    .put("data_offsets", JsonArray.of(JsonNumber.of(offset), JsonNumber.of(end)))
                    .build());
            offset = end;
        }
        if (!metadata.isEmpty()) {
            JsonObject.Builder meta = JsonObject.builder();
            metadata.forEach(meta::put);
            header.put("__metadata__", meta.build());
        }
        byte[] json = Json.write(header.build()).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteArrayOutputStream out = new ByteArrayOutputStream(8 + padded + (int) offset);
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
        out.writeBytes(json);
        out.writeBytes(" ".repeat(padded - json.length).getBytes(StandardCharsets.US_ASCII));
        for (float[] values : data) {
            ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : values) {
                buffer.putFloat(v);
            }
            out.writeBytes(buffer.array());
        }
        return out.toByteArray();
    }
}
