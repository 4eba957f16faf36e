package dev.grove.runtime.safetensors;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal strict JSON (RFC 8259) reader for safetensors headers, kept here so the runtime depends on nothing.
 *
 * <p>Values become {@link LinkedHashMap} (objects, key order kept, duplicate keys refused), {@link ArrayList} (arrays),
 * {@link String}, {@link Num} (a number literal, kept as written), {@link Boolean} and {@link #NULL}. Strings must be
 * valid UTF-8 without lone surrogates; nesting is capped at {@value #MAX_DEPTH}. Whitespace (the four JSON whitespace
 * characters) may surround the value, which is how the reference implementation's space padding is accepted.
 */
final class HeaderJson {
    /** The JSON {@code null}. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    static final int MAX_DEPTH = 64;

    /** A number literal exactly as written in the header. */
    static final class Num {
        final String text;

        Num(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    private final byte[] b;
    private final int start;
    private final int end;
    private int pos;

    private HeaderJson(byte[] b, int start, int end) {
        this.b = b;
        this.start = start;
        this.end = end;
        this.pos = start;
    }

    /** Parses {@code b[start, end)} as exactly one JSON value surrounded by optional whitespace. */
    static Object parse(byte[] b, int start, int end) throws SafetensorsException {
        HeaderJson r = new HeaderJson(b, start, end);
        r.skipWhitespace();
        Object v = r.value(0);
        r.skipWhitespace();
        if (r.pos != end) {
            throw r.error("trailing data after the JSON value");
        }
        return v;
    }

    private SafetensorsException error(String what) {
        return new SafetensorsException("header is not valid JSON: " + what + " at header byte " + (pos - start));
    }

    private void skipWhitespace() {
        while (pos < end) {
            byte c = b[pos];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                pos++;
            } else {
                return;
            }
        }
    }

    private Object value(int depth) throws SafetensorsException {
        if (pos >= end) {
            throw error("unexpected end of header");
        }
        byte c = b[pos];
        switch (c) {
            case '{':
                return object(depth + 1);
            case '[':
                return array(depth + 1);
            case '"':
                return string();
            case 't':
                literal("true");
                return Boolean.TRUE;
            case 'f':
                literal("false");
                return Boolean.FALSE;
            case 'n':
                literal("null");
                return NULL;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("unexpected " + describe(c));
        }
    }

    private static String describe(byte c) {
        int u = c & 0xff;
        if (u >= 0x21 && u < 0x7f) {
            return "character '" + (char) u + "'";
        }
        return "byte 0x" + hex2(u);
    }

    static String hex2(int u) {
        String h = Integer.toHexString(u);
        return h.length() == 1 ? "0" + h : h;
    }

    private void literal(String word) throws SafetensorsException {
        for (int i = 0; i < word.length(); i++) {
            if (pos >= end || b[pos] != word.charAt(i)) {
                throw error("invalid literal (expected " + word + ")");
            }
            pos++;
        }
    }

    private Map<String, Object> object(int depth) throws SafetensorsException {
        if (depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH);
        }
        pos++; // '{'
        Map<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (pos < end && b[pos] == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipWhitespace();
            if (pos >= end || b[pos] != '"') {
                throw error(pos >= end ? "unexpected end of header" : "expected a string key");
            }
            int keyAt = pos;
            String key = string();
            if (map.containsKey(key)) {
                pos = keyAt;
                throw error("duplicate key \"" + key + "\"");
            }
            skipWhitespace();
            if (pos >= end || b[pos] != ':') {
                throw error("expected ':'");
            }
            pos++;
            skipWhitespace();
            map.put(key, value(depth));
            skipWhitespace();
            if (pos >= end) {
                throw error("unexpected end of header");
            }
            if (b[pos] == ',') {
                pos++;
            } else if (b[pos] == '}') {
                pos++;
                return map;
            } else {
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<Object> array(int depth) throws SafetensorsException {
        if (depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH);
        }
        pos++; // '['
        List<Object> list = new ArrayList<>();
        skipWhitespace();
        if (pos < end && b[pos] == ']') {
            pos++;
            return list;
        }
        while (true) {
            skipWhitespace();
            list.add(value(depth));
            skipWhitespace();
            if (pos >= end) {
                throw error("unexpected end of header");
            }
            if (b[pos] == ',') {
                pos++;
            } else if (b[pos] == ']') {
                pos++;
                return list;
            } else {
                throw error("expected ',' or ']'");
            }
        }
    }

    private Num number() throws SafetensorsException {
        int from = pos;
        if (b[pos] == '-') {
            pos++;
        }
        if (pos < end && b[pos] == '0') {
            pos++;
        } else if (pos < end && b[pos] >= '1' && b[pos] <= '9') {
            digits();
        } else {
            throw error("invalid number");
        }
        if (pos < end && b[pos] == '.') {
            pos++;
            if (pos >= end || b[pos] < '0' || b[pos] > '9') {
                throw error("invalid number");
            }
            digits();
        }
        if (pos < end && (b[pos] == 'e' || b[pos] == 'E')) {
            pos++;
            if (pos < end && (b[pos] == '+' || b[pos] == '-')) {
                pos++;
            }
            if (pos >= end || b[pos] < '0' || b[pos] > '9') {
                throw error("invalid number");
            }
            digits();
        }
        char[] cs = new char[pos - from];
        for (int i = 0; i < cs.length; i++) {
            cs[i] = (char) b[from + i];
        }
        return new Num(new String(cs));
    }

    private void digits() {
        while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
            pos++;
        }
    }

    private String string() throws SafetensorsException {
        pos++; // opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= end) {
                throw error("unterminated string");
            }
            int c = b[pos] & 0xff;
            if (c == '"') {
                pos++;
                return sb.toString();
            }
            if (c == '\\') {
                escape(sb);
            } else if (c < 0x20) {
                throw error("unescaped control character 0x" + hex2(c) + " in string");
            } else if (c < 0x80) {
                sb.append((char) c);
                pos++;
            } else {
                sb.appendCodePoint(utf8());
            }
        }
    }

    private void escape(StringBuilder sb) throws SafetensorsException {
        pos++; // backslash
        if (pos >= end) {
            throw error("unterminated string");
        }
        byte c = b[pos++];
        switch (c) {
            case '"': sb.append('"'); return;
            case '\\': sb.append('\\'); return;
            case '/': sb.append('/'); return;
            case 'b': sb.append('\b'); return;
            case 'f': sb.append('\f'); return;
            case 'n': sb.append('\n'); return;
            case 'r': sb.append('\r'); return;
            case 't': sb.append('\t'); return;
            case 'u':
                int u = hex4();
                if (u >= 0xD800 && u <= 0xDBFF) {
                    if (pos + 1 < end && b[pos] == '\\' && b[pos + 1] == 'u') {
                        pos += 2;
                        int low = hex4();
                        if (low >= 0xDC00 && low <= 0xDFFF) {
                            sb.append((char) u).append((char) low);
                            return;
                        }
                    }
                    throw error("lone surrogate in \\u escape");
                }
                if (u >= 0xDC00 && u <= 0xDFFF) {
                    throw error("lone surrogate in \\u escape");
                }
                sb.append((char) u);
                return;
            default:
                pos--;
                throw error("invalid escape");
        }
    }

    private int hex4() throws SafetensorsException {
        if (pos + 4 > end) {
            throw error("truncated \\u escape");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int c = b[pos + i];
            int d;
            if (c >= '0' && c <= '9') {
                d = c - '0';
            } else if (c >= 'a' && c <= 'f') {
                d = c - 'a' + 10;
            } else if (c >= 'A' && c <= 'F') {
                d = c - 'A' + 10;
            } else {
                throw error("invalid \\u escape");
            }
            v = (v << 4) | d;
        }
        pos += 4;
        return v;
    }

    /** Decodes one multi-byte UTF-8 sequence at {@code pos}, refusing overlong forms, surrogates and values above U+10FFFF. */
    private int utf8() throws SafetensorsException {
        int c = b[pos] & 0xff;
        int n;
        int cp;
        int min;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
            cp = c & 0x1F;
            min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            cp = c & 0x0F;
            min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            cp = c & 0x07;
            min = 0x10000;
        } else {
            throw error("invalid UTF-8 byte 0x" + hex2(c));
        }
        if (pos + n >= end) {
            throw error("truncated UTF-8 sequence");
        }
        for (int i = 1; i <= n; i++) {
            int cc = b[pos + i] & 0xff;
            if ((cc & 0xC0) != 0x80) {
                throw error("invalid UTF-8 sequence");
            }
            cp = (cp << 6) | (cc & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            throw error("invalid UTF-8 sequence");
        }
        pos += n + 1;
        return cp;
    }
}
