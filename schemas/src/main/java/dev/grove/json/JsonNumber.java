package dev.grove.json;

/**
 * A JSON number kept as its exact literal, so that reading and re-writing a document never changes a digit and large
 * integers are not rounded through {@code double}. Two numbers are equal when their literals are equal ({@code 1} and
 * {@code 1.0} are different values here, although both are integers).
 */
public record JsonNumber(String literal) implements JsonValue {

    public JsonNumber {
        if (literal == null) {
            throw new NullPointerException("literal");
        }
        if (!isValidLiteral(literal)) {
            throw new JsonException("not a JSON number: '" + Json.abbreviate(literal) + "'");
        }
    }

    public static JsonNumber of(long value) {
        return new JsonNumber(Long.toString(value));
    }

    /**
     * The number written with {@link Double#toString(double)}, which always yields a valid JSON literal that parses back to
     * the same double (e.g. {@code 0.5}, {@code 1.0E-5}, {@code 100.0}).
     *
     * @throws JsonException for NaN and the infinities, which JSON cannot represent
     */
    public static JsonNumber of(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new JsonException("not a JSON number: " + value);
        }
        return new JsonNumber(Double.toString(value));
    }

    /** True when the value is mathematically an integer ({@code 3}, {@code 3.0}, {@code 3e2}), whatever its range. */
    public boolean isInteger() {
        return new Decimal(literal).isInteger();
    }

    /**
     * The value as a long.
     *
     * @throws JsonException when the value is not an integer or does not fit in a long
     */
    public long longValue() {
        Decimal d = new Decimal(literal);
        if (!d.isInteger()) {
            throw new JsonException("number " + Json.abbreviate(literal) + " is not an integer");
        }
        if (d.isZero()) {
            return 0L;
        }
        // value = significant digits * 10^scale, scale >= 0; at most 19 decimal digits fit in a long
        if (d.sigEnd - d.sigStart + d.scale > 19) {
            throw outOfRange();
        }
        long v = 0; // accumulated negatively so that Long.MIN_VALUE fits
        long total = d.sigEnd - d.sigStart + d.scale;
        for (long i = 0; i < total; i++) {
            int digit = i < d.sigEnd - d.sigStart ? d.digitAt((int) i) : 0;
            if (v < (Long.MIN_VALUE + digit) / 10) {
                throw outOfRange();
            }
            v = v * 10 - digit;
        }
        if (!d.negative) {
            if (v == Long.MIN_VALUE) {
                throw outOfRange();
            }
            v = -v;
        }
        return v;
    }

    private JsonException outOfRange() {
        return new JsonException("number " + Json.abbreviate(literal) + " is out of the 64-bit integer range");
    }

    /** The value as the nearest double (may be infinite for huge literals). */
    public double doubleValue() {
        return Double.parseDouble(literal);
    }

    @Override
    public String toString() {
        return literal;
    }

    /** RFC 8259: {@code -? (0 | [1-9][0-9]*) (\.[0-9]+)? ([eE][+-]?[0-9]+)?}. */
    static boolean isValidLiteral(String s) {
        return !s.isEmpty() && Json.scanNumber(s, 0) == s.length();
    }

    /**
     * A valid literal read as sign, significant digits and a decimal scale (value = digits * 10^scale), in one linear
     * pass; exponents beyond the int range saturate, which cannot change any answer for literals shorter than 2^31.
     */
    private static final class Decimal {
        final boolean negative;
        final String digits; // integer and fraction digits, without the point
        final int sigStart; // first non-zero digit
        final int sigEnd; // after the last non-zero digit
        final long scale;

        Decimal(String s) {
            int i = 0;
            negative = s.charAt(0) == '-';
            if (negative) {
                i++;
            }
            StringBuilder sb = new StringBuilder(s.length());
            int fraction = 0;
            boolean inFraction = false;
            long exponent = 0;
            for (; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '.') {
                    inFraction = true;
                } else if (c == 'e' || c == 'E') {
                    exponent = exponent(s, i + 1);
                    break;
                } else {
                    sb.append(c);
                    if (inFraction) {
                        fraction++;
                    }
                }
            }
            digits = sb.toString();
            int start = 0;
            while (start < digits.length() && digits.charAt(start) == '0') {
                start++;
            }
            int end = digits.length();
            while (end > start && digits.charAt(end - 1) == '0') {
                end--;
            }
            sigStart = start;
            sigEnd = end;
            scale = exponent - fraction + (digits.length() - end);
        }

        private static long exponent(String s, int i) {
            boolean neg = false;
            if (s.charAt(i) == '+' || s.charAt(i) == '-') {
                neg = s.charAt(i) == '-';
                i++;
            }
            long e = 0;
            for (; i < s.length(); i++) {
                e = Math.min(e * 10 + (s.charAt(i) - '0'), 4_000_000_000L);
            }
            return neg ? -e : e;
        }

        boolean isZero() {
            return sigStart == sigEnd;
        }

        boolean isInteger() {
            return isZero() || scale >= 0;
        }

        int digitAt(int i) {
            return digits.charAt(sigStart + i) - '0';
        }
    }
}
