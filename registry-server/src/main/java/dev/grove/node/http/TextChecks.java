package dev.grove.node.http;

import io.vertx.core.buffer.Buffer;
import java.util.Optional;

/**
 * Checks request bodies for what no stored or compared text may hold: bytes that are not strict UTF-8 (overlong forms,
 * encoded surrogates, code points above U+10FFFF, truncated sequences) and NUL, which PostgreSQL refuses in text.
 */
final class TextChecks {

    private TextChecks() {
    }

    /** A text body: strict UTF-8 without a NUL byte. */
    static Optional<String> textProblem(Buffer body) {
        return utf8Problem(body);
    }

    /**
     * A JSON body: strict UTF-8 without a NUL byte, and no string escape that decodes to NUL ({@code \u0000}) or to a
     * lone surrogate. The escapes are found without parsing: outside a string a backslash is not JSON anyway.
     */
    static Optional<String> jsonProblem(Buffer body) {
        Optional<String> utf8 = utf8Problem(body);
        if (utf8.isPresent()) {
            return utf8;
        }
        int n = body.length();
        for (int i = 0; i < n; i++) {
            if (body.getByte(i) != '\\' || i + 1 >= n) {
                continue;
            }
            byte escaped = body.getByte(i + 1);
            if (escaped != 'u') {
                i++; // a two-character escape, e.g. \\ or \"
                continue;
            }
            int unit = hex4(body, i + 2);
            if (unit < 0) {
                i++; // not an escape the parser will accept: it says so
                continue;
            }
            if (unit == 0) {
                return Optional.of("the request body holds a NUL character (\\u0000 at byte offset " + i + "); no text "
                        + "the node stores may hold one");
            }
            if (unit >= 0xDC00 && unit <= 0xDFFF) {
                return Optional.of(loneSurrogate(i));
            }
            if (unit >= 0xD800 && unit <= 0xDBFF) {
                int low = i + 7 < n && body.getByte(i + 6) == '\\' && body.getByte(i + 7) == 'u' ? hex4(body, i + 8) : -1;
                if (low < 0xDC00 || low > 0xDFFF) {
                    return Optional.of(loneSurrogate(i));
                }
                i += 11;
                continue;
            }
            i += 5;
        }
        return Optional.empty();
    }

    private static String loneSurrogate(int offset) {
        return "the request body escapes a lone UTF-16 surrogate at byte offset " + offset + ", which is no character";
    }

    private static int hex4(Buffer body, int at) {
        if (at + 4 > body.length()) {
            return -1;
        }
        int value = 0;
        for (int k = 0; k < 4; k++) {
            int d = Character.digit((char) (body.getByte(at + k) & 0xFF), 16);
            if (d < 0) {
                return -1;
            }
            value = value * 16 + d;
        }
        return value;
    }

    private static Optional<String> utf8Problem(Buffer body) {
        int n = body.length();
        int i = 0;
        while (i < n) {
            int b0 = body.getByte(i) & 0xFF;
            if (b0 == 0) {
                return Optional.of("the request body holds a NUL byte at offset " + i + "; no text the node stores may "
                        + "hold one");
            }
            if (b0 < 0x80) {
                i++;
                continue;
            }
            int length;
            int min;
            int cp;
            if (b0 >= 0xC2 && b0 <= 0xDF) {
                length = 2;
                min = 0x80;
                cp = b0 & 0x1F;
            } else if (b0 >= 0xE0 && b0 <= 0xEF) {
                length = 3;
                min = 0x800;
                cp = b0 & 0x0F;
            } else if (b0 >= 0xF0 && b0 <= 0xF4) {
                length = 4;
                min = 0x10000;
                cp = b0 & 0x07;
            } else {
                return Optional.of(notUtf8(i));
            }
            if (i + length > n) {
                return Optional.of(notUtf8(i));
            }
            for (int k = 1; k < length; k++) {
                int bk = body.getByte(i + k) & 0xFF;
                if ((bk & 0xC0) != 0x80) {
                    return Optional.of(notUtf8(i));
                }
                cp = (cp << 6) | (bk & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                return Optional.of(notUtf8(i));
            }
            i += length;
        }
        return Optional.empty();
    }

    private static String notUtf8(int offset) {
        return "the request body is not UTF-8 (at byte offset " + offset + "); send text encoded as UTF-8";
    }
}
