package dev.grove.runtime.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads an architecture's string configuration, remembering which keys were used so that unknown keys are refused. */
final class Config {
    private final String architecture;
    private final Map<String, String> values;
    private final Set<String> known = new LinkedHashSet<>();

    Config(String architecture, Map<String, String> values) {
        this.architecture = architecture;
        this.values = values;
        known.add("architecture");
    }

    String architecture() {
        return architecture;
    }

    private String raw(String key) throws ModelException {
        known.add(key);
        String v = values.get(key);
        return v == null ? null : v.trim();
    }

    private ModelException invalid(String key, String value, String expected) {
        return new ModelException(architecture + " config: " + key + " = \"" + value + "\" is not " + expected);
    }

    String string(String key, String defaultValue) throws ModelException {
        String v = raw(key);
        return v == null ? defaultValue : v;
    }

    int integer(String key, int min, int max) throws ModelException {
        String v = raw(key);
        if (v == null) {
            throw new ModelException(architecture + " config: missing \"" + key + "\"");
        }
        return parseInt(key, v, min, max);
    }

    int integer(String key, int min, int max, int defaultValue) throws ModelException {
        String v = raw(key);
        return v == null ? defaultValue : parseInt(key, v, min, max);
    }

    private int parseInt(String key, String v, int min, int max) throws ModelException {
        long n = 0;
        if (v.isEmpty() || v.length() > 10) {
            throw invalid(key, v, "an integer in " + min + ".." + max);
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                throw invalid(key, v, "an integer in " + min + ".." + max);
            }
            n = n * 10 + (c - '0');
        }
        if (n < min || n > max) {
            throw invalid(key, v, "an integer in " + min + ".." + max);
        }
        return (int) n;
    }

    /** A comma-separated list of integers in {@code min..max}; the empty string is the empty list. */
    List<Integer> integers(String key, int min, int max, String defaultValue) throws ModelException {
        String v = raw(key);
        if (v == null) {
            v = defaultValue;
        }
        List<Integer> out = new ArrayList<>();
        if (v.isEmpty()) {
            return out;
        }
        int start = 0;
        while (true) {
            int comma = v.indexOf(',', start);
            String part = (comma < 0 ? v.substring(start) : v.substring(start, comma)).trim();
            try {
                out.add(parseInt(key, part, min, max));
            } catch (ModelException e) {
                throw invalid(key, v, "a comma-separated list of integers in " + min + ".." + max);
            }
            if (comma < 0) {
                return out;
            }
            start = comma + 1;
        }
    }

    boolean bool(String key, boolean defaultValue) throws ModelException {
        String v = raw(key);
        if (v == null) {
            return defaultValue;
        }
        if (v.equals("true")) {
            return true;
        }
        if (v.equals("false")) {
            return false;
        }
        throw invalid(key, v, "true or false");
    }

    /**
     * A positive decimal such as {@code 1e-5} or {@code 0.001}, converted the same way on every platform: the digits
     * form an integer {@code M < 2^53} and the exponent {@code E} (|E| ≤ 22), then {@code (float) (M / 10^-E)} or
     * {@code (float) (M * 10^E)} in double, where every power of ten involved is exact.
     */
    float decimal(String key, float defaultValue) throws ModelException {
        String v = raw(key);
        if (v == null) {
            return defaultValue;
        }
        long mantissa = 0;
        int exponent = 0;
        int i = 0;
        int digits = 0;
        boolean point = false;
        for (; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c >= '0' && c <= '9') {
                if (mantissa >= (1L << 53) / 10) {
                    throw invalid(key, v, "a decimal number with at most 15 significant digits");
                }
                mantissa = mantissa * 10 + (c - '0');
                digits++;
                if (point) {
                    exponent--;
                }
            } else if (c == '.' && !point) {
                point = true;
            } else {
                break;
            }
        }
        if (digits == 0) {
            throw invalid(key, v, "a positive decimal number");
        }
        if (i < v.length()) {
            if ((v.charAt(i) != 'e' && v.charAt(i) != 'E') || i + 1 >= v.length()) {
                throw invalid(key, v, "a positive decimal number");
            }
            i++;
            boolean negative = v.charAt(i) == '-';
            if (negative || v.charAt(i) == '+') {
                i++;
            }
            String exp = v.substring(i);
            int e;
            try {
                e = parseInt(key, exp, 0, 99);
            } catch (ModelException ex) {
                throw invalid(key, v, "a positive decimal number");
            }
            exponent += negative ? -e : e;
        }
        if (exponent < -22 || exponent > 22 || mantissa == 0) {
            throw invalid(key, v, "a positive decimal number between 1e-22 and 1e22");
        }
        double p = 1;
        for (int k = 0; k < Math.abs(exponent); k++) {
            p *= 10; // exact up to 10^22
        }
        return (float) (exponent < 0 ? mantissa / p : mantissa * p);
    }

    /** Refuses keys that no accessor asked for. */
    void rejectUnknownKeys() throws ModelException {
        List<String> unknown = new ArrayList<>();
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            Collections.sort(unknown);
            throw new ModelException(architecture + " config: unknown key" + (unknown.size() > 1 ? "s " : " ")
                    + join(unknown) + " (known: " + join(new ArrayList<>(known)) + ")");
        }
    }

    static String join(List<?> items) {
        StringBuilder sb = new StringBuilder();
        for (Object o : items) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(o);
        }
        return sb.toString();
    }
}
