package dev.grove.blind;

import java.util.Base64;

/**
 * Base64url without padding (RFC 4648 section 5), decoded strictly: only the canonical spelling of some bytes is accepted
 * (no padding, no whitespace, no standard alphabet, no non-zero trailing bits), so one value has one spelling.
 */
public final class Base64Url {

    private Base64Url() {
    }

    public static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** @throws IllegalArgumentException when the text is not canonical unpadded base64url */
    public static byte[] decode(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_';
            if (!ok) {
                throw new IllegalArgumentException("not unpadded base64url: character '" + c + "' at " + i);
            }
        }
        if (text.length() % 4 == 1) {
            throw new IllegalArgumentException("not base64url: " + text.length() + " characters cannot encode whole bytes");
        }
        byte[] out = Base64.getUrlDecoder().decode(text);
        if (!encode(out).equals(text)) {
            throw new IllegalArgumentException("not canonical base64url (non-zero trailing bits)");
        }
        return out;
    }
}
