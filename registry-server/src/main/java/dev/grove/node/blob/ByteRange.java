package dev.grove.node.blob;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A satisfiable single byte range of a representation of known size (RFC 9110 section 14): bytes {@code first} to
 * {@code last}, inclusive; {@code last = first - 1} selects nothing (the whole of an empty blob).
 */
public record ByteRange(long first, long last) {

    public ByteRange {
        if (first < 0 || last < first - 1) {
            throw new IllegalArgumentException("a byte range runs from a first byte >= 0 to a last byte >= first - 1, not "
                    + first + "-" + last);
        }
    }

    /** Every byte of a blob of {@code size} bytes. */
    public static ByteRange all(long size) {
        return new ByteRange(0, size - 1);
    }

    /** The answer to a {@code Range} header. */
    sealed interface Request permits Whole, Partial, Unsatisfiable {
    }

    /** No usable range (absent, malformed, several ranges, or not bytes): send the whole representation. */
    record Whole() implements Request {
    }

    record Partial(ByteRange range) implements Request {
    }

    /** A well-formed range that selects nothing: 416. */
    record Unsatisfiable() implements Request {
    }

    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d{0,19})-(\\d{0,19})");

    public long length() {
        return last - first + 1;
    }

    /** The {@code Content-Range} value for this range of a representation of {@code size} bytes. */
    String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    /** Reads a {@code Range} header value for a representation of {@code size} bytes. */
    static Request parse(Optional<String> header, long size) {
        if (header.isEmpty()) {
            return new Whole();
        }
        Matcher m = SINGLE.matcher(header.get().strip());
        if (!m.matches()) {
            return new Whole(); // multiple ranges, other units, junk: ignoring Range is always allowed
        }
        String a = m.group(1);
        String b = m.group(2);
        try {
            if (a.isEmpty()) {
                if (b.isEmpty()) {
                    return new Whole();
                }
                long suffix = Long.parseLong(b);
                if (suffix == 0 || size == 0) {
                    return new Unsatisfiable();
                }
                return new Partial(new ByteRange(Math.max(0, size - suffix), size - 1));
            }
            long first = Long.parseLong(a);
            if (!b.isEmpty() && Long.parseLong(b) < first) {
                return new Whole(); // an invalid range-spec: ignore the header
            }
            if (first >= size) {
                return new Unsatisfiable();
            }
            long last = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
            return new Partial(new ByteRange(first, last));
        } catch (NumberFormatException e) {
            return new Whole(); // beyond a long
        }
    }
}
