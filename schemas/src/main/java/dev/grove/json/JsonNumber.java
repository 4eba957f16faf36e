package dev.grove.json;

import java.math.BigDecimal;

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
        if (isPlainInteger()) {
            return true;
        }
        BigDecimal d = decimal();
        if (d == null) {
            // exponent beyond the int range: an integer exactly when the exponent is positive or the mantissa is zero
            return hugeExponentIsPositive() || mantissaIsZero();
        }
        return d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
    }

    /**
     * The value as a long.
     *
     * @throws JsonException when the value is not an integer or does not fit in a long
     */
    public long longValue() {
        if (isPlainInteger() && literal.length() <= 18) {
            return Long.parseLong(literal);
        }
        if (!isInteger()) {
            throw new JsonException("number " + Json.abbreviate(literal) + " is not an integer");
        }
        BigDecimal d = decimal();
        if (d == null) {
            if (mantissaIsZero()) {
                return 0L;
            }
            throw new JsonException("number " + Json.abbreviate(literal) + " is out of the 64-bit integer range");
        }
        try {
            return d.longValueExact();
        } catch (ArithmeticException e) {
            throw new JsonException("number " + Json.abbreviate(literal) + " is out of the 64-bit integer range");
        }
    }

    /** The value as the nearest double (may be infinite for huge literals). */
    public double doubleValue() {
        return Double.parseDouble(literal);
    }

    @Override
    public String toString() {
        return literal;
    }

    /** The exact value, or null when the exponent does not fit BigDecimal's int scale. */
    private BigDecimal decimal() {
        try {
            return new BigDecimal(literal);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private int exponentStart() {
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (c == 'e' || c == 'E') {
                return i;
            }
        }
        return literal.length();
    }

    private boolean hugeExponentIsPositive() {
        int e = exponentStart();
        return e + 1 < literal.length() && literal.charAt(e + 1) != '-';
    }

    private boolean mantissaIsZero() {
        int end = exponentStart();
        for (int i = 0; i < end; i++) {
            char c = literal.charAt(i);
            if (c >= '1' && c <= '9') {
                return false;
            }
        }
        return true;
    }

    private boolean isPlainInteger() {
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (c == '.' || c == 'e' || c == 'E') {
                return false;
            }
        }
        return true;
    }

    /** RFC 8259: {@code -? (0 | [1-9][0-9]*) (\.[0-9]+)? ([eE][+-]?[0-9]+)?}. */
    static boolean isValidLiteral(String s) {
        return Json.scanNumber(s, 0) == s.length() && !s.isEmpty();
    }
}
