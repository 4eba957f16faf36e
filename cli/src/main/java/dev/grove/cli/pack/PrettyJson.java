package dev.grove.cli.pack;

import dev.grove.json.Json;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonValue;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * JSON for files people read and edit ({@code grove.json} and the cards): two-space indentation, arrays of plain values on
 * one line, a final newline. Strings and numbers are written by {@link Json#write}, so the text parses back to the same
 * value. The bytes written are the bytes signed, so this layout is cosmetic only.
 */
public final class PrettyJson {
    private static final int INLINE_LIMIT = 90;

    private PrettyJson() {
    }

    public static byte[] bytes(JsonValue value) {
        StringBuilder sb = new StringBuilder();
        write(value, 0, sb);
        sb.append('\n');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(JsonValue value, int indent, StringBuilder sb) {
        if (indent > 0 && value instanceof JsonObject o && o.size() > 0 && inline(o)) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonValue> e : o.members().entrySet()) {
                sb.append(first ? "" : ", ");
                first = false;
                sb.append(Json.write(new dev.grove.json.JsonString(e.getKey()))).append(": ");
                write(e.getValue(), indent + 1, sb);
            }
            sb.append('}');
        } else if (value instanceof JsonObject o && o.size() > 0) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonValue> e : o.members().entrySet()) {
                sb.append(first ? "\n" : ",\n");
                first = false;
                pad(indent + 1, sb);
                sb.append(Json.write(new dev.grove.json.JsonString(e.getKey()))).append(": ");
                write(e.getValue(), indent + 1, sb);
            }
            sb.append('\n');
            pad(indent, sb);
            sb.append('}');
        } else if (value instanceof JsonArray a && a.size() > 0 && !inline(a)) {
            sb.append('[');
            for (int i = 0; i < a.size(); i++) {
                sb.append(i == 0 ? "\n" : ",\n");
                pad(indent + 1, sb);
                write(a.get(i), indent + 1, sb);
            }
            sb.append('\n');
            pad(indent, sb);
            sb.append(']');
        } else if (value instanceof JsonArray a && a.size() > 0) {
            sb.append('[');
            for (int i = 0; i < a.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(Json.write(a.get(i)));
            }
            sb.append(']');
        } else {
            sb.append(Json.write(value));
        }
    }

    /** A small object of plain values (and short arrays of them) fits on one line. */
    private static boolean inline(JsonObject o) {
        for (JsonValue v : o.members().values()) {
            if (v instanceof JsonObject || (v instanceof JsonArray a && !inline(a))) {
                return false;
            }
        }
        return Json.write(o).length() <= INLINE_LIMIT;
    }

    private static boolean inline(JsonArray a) {
        for (JsonValue v : a) {
            if (v instanceof JsonObject || v instanceof JsonArray) {
                return false;
            }
        }
        return Json.write(a).length() <= INLINE_LIMIT;
    }

    private static void pad(int indent, StringBuilder sb) {
        sb.append("  ".repeat(indent));
    }
}
