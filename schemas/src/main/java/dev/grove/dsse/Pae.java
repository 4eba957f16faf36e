package dev.grove.dsse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The DSSE v1 pre-authentication encoding {@code "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body}, the bytes that are
 * actually signed. LEN counts UTF-8 bytes, not characters (a payload type with non-ASCII characters differs).
 */
public final class Pae {
    private Pae() {
    }

    public static byte[] encode(String payloadType, byte[] payload) {
        byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(type.length + payload.length + 32);
        writeAscii(out, "DSSEv1 " + type.length + " ");
        out.write(type, 0, type.length);
        writeAscii(out, " " + payload.length + " ");
        out.write(payload, 0, payload.length);
        return out.toByteArray();
    }

    private static void writeAscii(ByteArrayOutputStream out, String s) {
        for (int i = 0; i < s.length(); i++) {
            out.write(s.charAt(i));
        }
    }
}
