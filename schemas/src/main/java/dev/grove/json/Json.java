package dev.grove.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict RFC 8259 parsing and compact deterministic writing.
 *
 * <p>Parsing refuses what a lenient parser would guess about: nesting deeper than {@value #MAX_DEPTH}, duplicate keys, lone
 * surrogates (escaped or raw), NUL in a string (escaped, as raw control characters are refused), invalid UTF-8, non-RFC
 * numbers ({@code 01}, {@code 1.}, {@code +1}, {@code .5}) and anything after the value but whitespace. Offsets in messages
 * are UTF-16 char offsets into the text (for byte input: into the decoded text, except for UTF-8 errors, which give the
 * byte offset).
 *
 * <p>Writing emits no whitespace, object members in insertion order, numbers as their literal, non-ASCII characters as
 * themselves, and escapes only {@code "}, {@code \} and control characters ({@code \b \f \n \r \t}, others as
 * {@code \\u00XX}), as {@code JSON.stringify} does.
 */
public final class Json {
    /** Maximum nesting of arrays and objects. */
    public static final int MAX_DEPTH = 64;

    private Json() {
    }

    public static JsonValue parse(String text) {
        if (text == null) {
            throw new NullPointerException("text");
        }
        return new Parser(text).parseDocument();
    }

    public static JsonValue parse(byte[] utf8) {
        return parse(decodeUtf8(utf8));
    }

    /** @throws JsonException when the text is not JSON or its top-level value is not an object */
    public static JsonObject parseObject(String text) {
        return asObject(parse(text));
    }

    public static JsonObject parseObject(byte[] utf8) {
        return asObject(parse(utf8));
    }

    private static JsonObject asObject(JsonValue v) {
        if (v instanceof JsonObject o) {
            return o;
        }
        throw new JsonException("expected a JSON object, found " + v.typeName());
    }

    public static String write(JsonValue value) {
        StringBuilder sb = new StringBuilder();
        write(value, sb);
        return sb.toString();
    }

    /** The compact JSON text encoded as UTF-8. */
    public static byte[] writeBytes(JsonValue value) {
        return encodeUtf8(write(value));
    }

    private static void write(JsonValue value, StringBuilder sb) {
        if (value instanceof JsonObject o) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonValue> e : o.members().entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                writeString(e.getKey(), sb);
                sb.append(':');
                write(e.getValue(), sb);
            }
            sb.append('}');
        } else if (value instanceof JsonArray a) {
            sb.append('[');
            for (int i = 0; i < a.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                write(a.get(i), sb);
            }
            sb.append(']');
        } else if (value instanceof JsonString s) {
            writeString(s.value(), sb);
        } else if (value instanceof JsonNumber n) {
            sb.append(n.literal());
        } else if (value instanceof JsonBoolean b) {
            sb.append(b.value() ? "true" : "false");
        } else if (value instanceof JsonNull) {
            sb.append("null");
        } else {
            throw new NullPointerException("null JSON value");
        }
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private static void writeString(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    // ---- helpers shared within the package ----

    /** Index of the first unpaired surrogate in s, or -1. */
    static int loneSurrogateIndex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            } else if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** At most 64 characters of s, for error messages about hostile input. */
    static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 61) + "...";
    }

    /** End of an RFC 8259 number starting at i in s, or -1 when there is none. */
    static int scanNumber(CharSequence s, int i) {
        int n = s.length();
        if (i < n && s.charAt(i) == '-') {
            i++;
        }
        if (i >= n) {
            return -1;
        }
        char c = s.charAt(i);
        if (c == '0') {
            i++;
        } else if (c >= '1' && c <= '9') {
            i++;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
        } else {
            return -1;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            if (i >= n || !isDigit(s.charAt(i))) {
                return -1;
            }
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            if (i >= n || !isDigit(s.charAt(i))) {
                return -1;
            }
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
        }
        return i;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * Strict UTF-8 decoding: refuses overlong forms, encoded surrogates, code points above U+10FFFF and truncated sequences.
     */
    static String decodeUtf8(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length);
        int i = 0;
        while (i < b.length) {
            int b0 = b[i] & 0xFF;
            if (b0 < 0x80) {
                sb.append((char) b0);
                i++;
                continue;
            }
            int need;
            int cp;
            int min;
            if (b0 >= 0xC2 && b0 <= 0xDF) {
                need = 1;
                cp = b0 & 0x1F;
                min = 0x80;
            } else if (b0 >= 0xE0 && b0 <= 0xEF) {
                need = 2;
                cp = b0 & 0x0F;
                min = 0x800;
            } else if (b0 >= 0xF0 && b0 <= 0xF4) {
                need = 3;
                cp = b0 & 0x07;
                min = 0x10000;
            } else {
                throw new JsonException("invalid UTF-8 at byte offset " + i, "invalid UTF-8", i, true);
            }
            if (i + need >= b.length) {
                throw new JsonException("invalid UTF-8 at byte offset " + i + " (truncated sequence)",
                        "invalid UTF-8 (truncated sequence)", i, true);
            }
            for (int k = 1; k <= need; k++) {
                int bk = b[i + k] & 0xFF;
                if ((bk & 0xC0) != 0x80) {
                    throw new JsonException("invalid UTF-8 at byte offset " + i, "invalid UTF-8", i, true);
                }
                cp = (cp << 6) | (bk & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                throw new JsonException("invalid UTF-8 at byte offset " + i, "invalid UTF-8", i, true);
            }
            sb.appendCodePoint(cp);
            i += need + 1;
        }
        return sb.toString();
    }

    /** UTF-8 encoding of a string without lone surrogates. */
    static byte[] encodeUtf8(String s) {
        int bad = loneSurrogateIndex(s);
        if (bad >= 0) {
            throw new JsonException("lone surrogate at index " + bad + " of string");
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            int cp = s.codePointAt(i);
            if (cp >= 0x10000) {
                i++;
            }
            if (cp < 0x80) {
                out.write(cp);
            } else if (cp < 0x800) {
                out.write(0xC0 | (cp >> 6));
                out.write(0x80 | (cp & 0x3F));
            } else if (cp < 0x10000) {
                out.write(0xE0 | (cp >> 12));
                out.write(0x80 | ((cp >> 6) & 0x3F));
                out.write(0x80 | (cp & 0x3F));
            } else {
                out.write(0xF0 | (cp >> 18));
                out.write(0x80 | ((cp >> 12) & 0x3F));
                out.write(0x80 | ((cp >> 6) & 0x3F));
                out.write(0x80 | (cp & 0x3F));
            }
        }
        return out.toByteArray();
    }

    private static final class Parser {
        private final String s;
        private int pos;
        private int depth;

        Parser(String s) {
            this.s = s;
        }

        JsonValue parseDocument() {
            skipWs();
            JsonValue v = parseValue();
            skipWs();
            if (pos < s.length()) {
                throw error("trailing data after the JSON value at offset " + pos);
            }
            return v;
        }

        private JsonValue parseValue() {
            if (pos >= s.length()) {
                throw error("unexpected end of input at offset " + pos);
            }
            char c = s.charAt(pos);
            switch (c) {
                case '{':
                    return parseObject();
                case '[':
                    return parseArray();
                case '"':
                    return new JsonString(parseString());
                case 't':
                    literal("true");
                    return JsonBoolean.TRUE;
                case 'f':
                    literal("false");
                    return JsonBoolean.FALSE;
                case 'n':
                    literal("null");
                    return JsonNull.INSTANCE;
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        return parseNumber();
                    }
                    throw error("unexpected " + describe(c) + " at offset " + pos);
            }
        }

        private void enter() {
            depth++;
            if (depth > MAX_DEPTH) {
                throw error("nesting deeper than " + MAX_DEPTH + " at offset " + pos);
            }
        }

        private JsonObject parseObject() {
            enter();
            pos++; // '{'
            LinkedHashMap<String, JsonValue> members = new LinkedHashMap<>();
            skipWs();
            if (peek() == '}') {
                pos++;
                depth--;
                return JsonObject.empty();
            }
            while (true) {
                skipWs();
                if (peek() != '"') {
                    throw error(pos >= s.length()
                            ? "unexpected end of input at offset " + pos
                            : "expected a string key at offset " + pos);
                }
                int keyAt = pos;
                String key = parseString();
                skipWs();
                expect(':', "expected ':' at offset ");
                skipWs();
                JsonValue v = parseValue();
                if (members.put(key, v) != null) {
                    throw error("duplicate key \"" + abbreviate(key) + "\" at offset " + keyAt);
                }
                skipWs();
                char c = peek();
                if (c == ',') {
                    pos++;
                } else if (c == '}') {
                    pos++;
                    break;
                } else {
                    throw error(pos >= s.length()
                            ? "unexpected end of input at offset " + pos
                            : "expected ',' or '}' at offset " + pos);
                }
            }
            depth--;
            JsonObject.Builder b = JsonObject.builder();
            for (Map.Entry<String, JsonValue> e : members.entrySet()) {
                b.put(e.getKey(), e.getValue());
            }
            return b.build();
        }

        private JsonArray parseArray() {
            enter();
            pos++; // '['
            List<JsonValue> values = new ArrayList<>();
            skipWs();
            if (peek() == ']') {
                pos++;
                depth--;
                return JsonArray.of(values);
            }
            while (true) {
                skipWs();
                values.add(parseValue());
                skipWs();
                char c = peek();
                if (c == ',') {
                    pos++;
                } else if (c == ']') {
                    pos++;
                    break;
                } else {
                    throw error(pos >= s.length()
                            ? "unexpected end of input at offset " + pos
                            : "expected ',' or ']' at offset " + pos);
                }
            }
            depth--;
            return JsonArray.of(values);
        }

        private String parseString() {
            pos++; // opening quote
            StringBuilder sb = null;
            int runStart = pos;
            while (true) {
                if (pos >= s.length()) {
                    throw error("unterminated string at offset " + pos);
                }
                char c = s.charAt(pos);
                if (c == '"') {
                    String result;
                    if (sb == null) {
                        result = s.substring(runStart, pos);
                    } else {
                        result = sb.append(s, runStart, pos).toString();
                    }
                    pos++;
                    return result;
                }
                if (c < 0x20) {
                    throw error("unescaped control character " + describe(c) + " in string at offset " + pos);
                }
                if (Character.isHighSurrogate(c)) {
                    if (pos + 1 < s.length() && Character.isLowSurrogate(s.charAt(pos + 1))) {
                        pos += 2;
                        continue;
                    }
                    throw error("lone surrogate at offset " + pos);
                }
                if (Character.isLowSurrogate(c)) {
                    throw error("lone surrogate at offset " + pos);
                }
                if (c != '\\') {
                    pos++;
                    continue;
                }
                if (sb == null) {
                    sb = new StringBuilder();
                }
                sb.append(s, runStart, pos);
                int escAt = pos;
                pos++;
                if (pos >= s.length()) {
                    throw error("unterminated string at offset " + pos);
                }
                char e = s.charAt(pos);
                pos++;
                switch (e) {
                    case '"' -> sb.append('"');
                    case '\\' -> sb.append('\\');
                    case '/' -> sb.append('/');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        char u = hex4(escAt);
                        if (Character.isHighSurrogate(u)) {
                            if (pos + 1 < s.length() && s.charAt(pos) == '\\' && s.charAt(pos + 1) == 'u') {
                                int lowAt = pos;
                                pos += 2;
                                char low = hex4(lowAt);
                                if (!Character.isLowSurrogate(low)) {
                                    throw error("lone surrogate at offset " + escAt);
                                }
                                sb.append(u).append(low);
                            } else {
                                throw error("lone surrogate at offset " + escAt);
                            }
                        } else if (Character.isLowSurrogate(u)) {
                            throw error("lone surrogate at offset " + escAt);
                        } else if (u == 0) {
                            // no document text may hold NUL: PostgreSQL refuses it in text and jsonb, C strings end there
                            throw error("NUL character (\\u0000) in string at offset " + escAt);
                        } else {
                            sb.append(u);
                        }
                    }
                    default -> throw error("invalid escape '\\" + (e < 0x20 || e > 0x7e ? "?" : String.valueOf(e))
                            + "' at offset " + escAt);
                }
                runStart = pos;
            }
        }

        private char hex4(int escAt) {
            if (pos + 4 > s.length()) {
                throw error("invalid \\u escape at offset " + escAt);
            }
            int v = 0;
            for (int k = 0; k < 4; k++) {
                char h = s.charAt(pos + k);
                int d;
                if (h >= '0' && h <= '9') {
                    d = h - '0';
                } else if (h >= 'a' && h <= 'f') {
                    d = h - 'a' + 10;
                } else if (h >= 'A' && h <= 'F') {
                    d = h - 'A' + 10;
                } else {
                    throw error("invalid \\u escape at offset " + escAt);
                }
                v = (v << 4) | d;
            }
            pos += 4;
            return (char) v;
        }

        private JsonNumber parseNumber() {
            int start = pos;
            int end = scanNumber(s, pos);
            if (end < 0) {
                throw error("invalid number at offset " + start);
            }
            // a number must not run into letters or digits (e.g. "01", "1x")
            if (end < s.length()) {
                char c = s.charAt(end);
                if ((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'
                        || Character.isLetter(c)) {
                    throw error("invalid number at offset " + start);
                }
            }
            pos = end;
            return new JsonNumber(s.substring(start, end));
        }

        private void literal(String word) {
            if (!s.startsWith(word, pos)) {
                throw error("unexpected " + describe(s.charAt(pos)) + " at offset " + pos);
            }
            pos += word.length();
        }

        private void expect(char c, String message) {
            if (peek() != c) {
                throw error(pos >= s.length() ? "unexpected end of input at offset " + pos : message + pos);
            }
            pos++;
        }

        /** The current char, or 0 at the end (0 is never valid there, so callers treat it as unexpected). */
        private char peek() {
            return pos < s.length() ? s.charAt(pos) : 0;
        }

        private void skipWs() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    pos++;
                } else {
                    break;
                }
            }
        }

        private static String describe(char c) {
            if (c < 0x20 || c > 0x7e) {
                String h = Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT);
                return "character U+" + "0000".substring(h.length()) + h;
            }
            return "character '" + c + "'";
        }

        /** A parse error; every message here ends with {@code at offset N}, which becomes {@link JsonException#offset()}. */
        private static JsonException error(String message) {
            int at = message.lastIndexOf(" at offset ");
            if (at < 0) {
                return new JsonException(message);
            }
            return new JsonException(message, message.substring(0, at),
                    Integer.parseInt(message.substring(at + " at offset ".length())), false);
        }
    }
}
