package dev.grove.pkg;

import dev.grove.crypto.Sha256;
import dev.grove.json.Json;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonBoolean;
import dev.grove.json.JsonException;
import dev.grove.json.JsonNumber;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonString;
import dev.grove.json.JsonValue;
import dev.grove.semver.SemVer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/** A JSON object at a path in a document: typed reads whose failures name the full path ("artifacts[0].size"). */
final class Node {
    private final JsonObject object;
    private final String path;

    Node(JsonObject object, String path) {
        this.object = object;
        this.path = path;
    }

    /** The document root of a payload. */
    static Node root(byte[] payload) {
        try {
            return new Node(Json.parseObject(payload), "");
        } catch (JsonException e) {
            throw new DocumentException("invalid JSON: " + e.getMessage(), e);
        }
    }

    JsonObject json() {
        return object;
    }

    String path() {
        return path;
    }

    String at(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    DocumentException fail(String key, String problem) {
        return DocumentException.at(at(key), problem);
    }

    DocumentException fail(String problem) {
        return DocumentException.at(path, problem);
    }

    /** Refuses the first member whose key is not listed, so a misspelt optional field cannot pass unnoticed. */
    Node only(String... keys) {
        for (String k : object.members().keySet()) {
            boolean known = false;
            for (String allowed : keys) {
                if (allowed.equals(k)) {
                    known = true;
                    break;
                }
            }
            if (!known) {
                throw fail(k, "unknown field");
            }
        }
        return this;
    }

    /** A list that must have at least one element. */
    <T> List<T> nonEmpty(String key, List<T> list) {
        if (list.isEmpty()) {
            throw fail(key, "must not be empty");
        }
        return list;
    }

    /** A string of 1 to max characters (Unicode code points, as JSON Schema counts). */
    String text(String key, int max) {
        String s = string(key);
        int n = s.codePointCount(0, s.length());
        if (n == 0) {
            throw fail(key, "must not be empty");
        }
        if (n > max) {
            throw fail(key, "must be at most " + max + " characters, got " + n);
        }
        return s;
    }

    /** A string of at most max characters matching the pattern (described in the message by its regex). */
    String matching(String key, Pattern pattern, int max) {
        return check(at(key), string(key), pattern, max);
    }

    static String check(String path, String s, Pattern pattern, int max) {
        if (s.length() > max || !pattern.matcher(s).matches()) {
            throw DocumentException.at(path, "must match " + pattern.pattern() + " (at most " + max
                    + " characters): '" + PackageName.abbreviate(s) + "'");
        }
        return s;
    }

    /** Refuses a list longer than max. */
    <T> List<T> atMost(String key, List<T> list, int max) {
        if (list.size() > max) {
            throw fail(key, "at most " + max + " items are allowed, got " + list.size());
        }
        return list;
    }

    long positive(String key) {
        long n = integer(key);
        if (n < 1) {
            throw fail(key, "must be at least 1, got " + n);
        }
        return n;
    }

    void expectSchema(String schema) {
        String actual = string("schema");
        if (!schema.equals(actual)) {
            throw fail("schema", "expected '" + schema + "', got '" + PackageName.abbreviate(actual) + "'");
        }
    }

    private JsonValue required(String key) {
        JsonValue v = object.members().get(key);
        if (v == null) {
            throw fail(key, "missing");
        }
        return v;
    }

    String string(String key) {
        JsonValue v = required(key);
        if (v instanceof JsonString s) {
            return s.value();
        }
        throw fail(key, "must be a string");
    }

    Optional<String> optString(String key) {
        return object.has(key) ? Optional.of(string(key)) : Optional.empty();
    }

    String nonEmptyString(String key) {
        String s = string(key);
        if (s.isEmpty()) {
            throw fail(key, "must not be empty");
        }
        return s;
    }

    long integer(String key) {
        return integer(required(key), at(key));
    }

    static long integer(JsonValue v, String path) {
        if (v instanceof JsonNumber n && n.isInteger()) {
            try {
                return n.longValue();
            } catch (JsonException e) {
                throw DocumentException.at(path, "out of the 64-bit integer range: " + n.literal());
            }
        }
        throw DocumentException.at(path, "must be an integer");
    }

    long nonNegative(String key) {
        long n = integer(key);
        if (n < 0) {
            throw fail(key, "must not be negative, got " + n);
        }
        return n;
    }

    double finiteNumber(String key) {
        JsonValue v = required(key);
        if (v instanceof JsonNumber n) {
            double d = n.doubleValue();
            if (Double.isInfinite(d)) {
                throw fail(key, "number out of range: " + n.literal());
            }
            return d;
        }
        throw fail(key, "must be a number");
    }

    boolean optBool(String key, boolean absent) {
        JsonValue v = object.members().get(key);
        if (v == null) {
            return absent;
        }
        if (v instanceof JsonBoolean b) {
            return b.value();
        }
        throw fail(key, "must be a boolean");
    }

    JsonObject rawObject(String key) {
        JsonValue v = required(key);
        if (v instanceof JsonObject o) {
            return o;
        }
        throw fail(key, "must be an object");
    }

    Node object(String key) {
        return new Node(rawObject(key), at(key));
    }

    private JsonArray array(String key) {
        JsonValue v = required(key);
        if (v instanceof JsonArray a) {
            return a;
        }
        throw fail(key, "must be an array");
    }

    /** The elements of an array of objects, each at path key[i]. */
    List<Node> objects(String key) {
        JsonArray a = array(key);
        List<Node> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            String p = at(key) + "[" + i + "]";
            if (!(a.get(i) instanceof JsonObject o)) {
                throw DocumentException.at(p, "must be an object");
            }
            out.add(new Node(o, p));
        }
        return out;
    }

    /** Like {@link #objects}, but an absent field is an empty list. */
    List<Node> optObjects(String key) {
        return object.has(key) ? objects(key) : Collections.emptyList();
    }

    List<String> strings(String key) {
        JsonArray a = array(key);
        List<String> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            if (!(a.get(i) instanceof JsonString s)) {
                throw DocumentException.at(at(key) + "[" + i + "]", "must be a string");
            }
            out.add(s.value());
        }
        return out;
    }

    List<String> optStrings(String key) {
        return object.has(key) ? strings(key) : Collections.emptyList();
    }

    List<Long> integers(String key) {
        JsonArray a = array(key);
        List<Long> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            out.add(integer(a.get(i), at(key) + "[" + i + "]"));
        }
        return out;
    }

    /** A string field read by a value parser whose IllegalArgumentException message becomes "path: message". */
    <T> T value(String key, Function<String, T> parser) {
        String s = string(key);
        try {
            return parser.apply(s);
        } catch (IllegalArgumentException e) {
            throw new DocumentException(at(key) + ": " + e.getMessage(), e);
        }
    }

    Sha256 digest(String key) {
        return value(key, Sha256::parse);
    }

    PackageName packageName(String key) {
        return value(key, PackageName::parse);
    }

    SemVer semver(String key) {
        return value(key, SemVer::parse);
    }
}
