package dev.grove.note;

import dev.grove.crypto.Sha256Hasher;
import java.nio.charset.StandardCharsets;

/** Text rules shared by notes and keys: key names, UTF-8 validation, key IDs. */
final class NoteText {
    private NoteText() {
    }

    /** Key names are non-empty and contain neither Unicode white space nor '+' (as Go's note package checks them). */
    static boolean isValidName(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '+' || isSpace(c)) {
                return false;
            }
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c) && i + 1 < name.length()
                        && Character.isLowSurrogate(name.charAt(i + 1));
                if (!paired) {
                    return false;
                }
                i++;
            }
        }
        return true;
    }

    /** The Unicode White_Space property (Go's unicode.IsSpace); all such characters are in the BMP. */
    static boolean isSpace(char c) {
        return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680
                || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F
                || c == 0x3000;
    }

    /**
     * The byte offset of the first byte that does not start a well-formed UTF-8 sequence (overlong forms, surrogates and
     * code points above U+10FFFF are ill-formed), or -1 when all bytes are valid UTF-8.
     */
    static int invalidUtf8(byte[] b) {
        int i = 0;
        while (i < b.length) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                i++;
                continue;
            }
            int need;
            int min;
            if (c >= 0xC2 && c <= 0xDF) {
                need = 1;
                min = 0x80;
            } else if (c >= 0xE0 && c <= 0xEF) {
                need = 2;
                min = 0x800;
            } else if (c >= 0xF0 && c <= 0xF4) {
                need = 3;
                min = 0x10000;
            } else {
                return i;
            }
            if (i + need >= b.length) {
                return i;
            }
            int cp = c & (0x3F >> need);
            for (int k = 1; k <= need; k++) {
                int cc = b[i + k] & 0xFF;
                if ((cc & 0xC0) != 0x80) {
                    return i;
                }
                cp = (cp << 6) | (cc & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                return i;
            }
            i += need + 1;
        }
        return -1;
    }

    /** Index of the first unpaired surrogate in s, or -1. */
    static int unpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** Key ID = first 4 bytes, big-endian, of SHA-256(name || 0x0A || type || public key). */
    static int keyId(String name, int type, byte[] publicKey) {
        byte[] h = new Sha256Hasher().update(name.getBytes(StandardCharsets.UTF_8)).update(new byte[] {0x0A, (byte) type})
                .update(publicKey).digest().bytes();
        return ((h[0] & 0xFF) << 24) | ((h[1] & 0xFF) << 16) | ((h[2] & 0xFF) << 8) | (h[3] & 0xFF);
    }

    static String hex8(int keyId) {
        String h = Integer.toHexString(keyId);
        return "00000000".substring(h.length()) + h;
    }

    /** Four uppercase hex digits, as in "U+0009". */
    static String hex4(int c) {
        String h = Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT);
        return "0000".substring(Math.min(4, h.length())) + h;
    }
}
