package dev.grove.tlog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the test vectors that federation/src/test/go/regenerate.sh writes with Go's reference implementation. */
public final class Vectors {
    private Vectors() {
    }

    public static byte[] bytes(String resource) {
        try (InputStream in = Vectors.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(String resource) {
        return new String(bytes(resource), StandardCharsets.UTF_8);
    }

    /** The non-comment lines of a vector file, split at spaces (keeping empty trailing fields). */
    public static List<String[]> records(String resource) {
        List<String[]> out = new ArrayList<>();
        for (String line : text(resource).split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                out.add(line.split(" ", -1));
            }
        }
        return out;
    }

    /** Records of one kind (first field), without that field. */
    public static List<String[]> records(String resource, String kind) {
        List<String[]> out = new ArrayList<>();
        for (String[] r : records(resource)) {
            if (r[0].equals(kind)) {
                String[] rest = new String[r.length - 1];
                System.arraycopy(r, 1, rest, 0, rest.length);
                out.add(rest);
            }
        }
        return out;
    }

    public static byte[] hex(String s) {
        if (s.equals("-")) {
            return new byte[0];
        }
        return dev.grove.crypto.Hex.decode(s);
    }

    public static List<byte[]> hexList(String s) {
        List<byte[]> out = new ArrayList<>();
        if (!s.equals("-")) {
            for (String h : s.split(",")) {
                out.add(hex(h));
            }
        }
        return out;
    }
}
