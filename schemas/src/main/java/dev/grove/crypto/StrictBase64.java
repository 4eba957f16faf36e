package dev.grove.crypto;

import java.util.Base64;

/**
 * Standard base64 (RFC 4648 section 4, with padding), decoded strictly: only the canonical encoding of some bytes is
 * accepted, so one value has one spelling (no missing padding, no non-zero trailing bits, no whitespace, no URL alphabet).
 */
public final class StrictBase64 {
    private StrictBase64() {
    }

    public static String encode(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** @throws IllegalArgumentException when the text is not canonical standard base64 */
    public static byte[] decode(String text) {
        byte[] out;
        try {
            out = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not base64: '" + Texts.abbreviate(text) + "'");
        }
        if (!encode(out).equals(text)) {
            throw new IllegalArgumentException("not canonical padded base64: '" + Texts.abbreviate(text) + "'");
        }
        return out;
    }
}
