package dev.grove.node.reports;

import dev.grove.blind.Base64Url;
import dev.grove.crypto.Sha256;
import dev.grove.node.problem.ReportRefused;
import dev.grove.reports.ReportToken;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The body of {@code POST /v1/reports}, parsed strictly: every field checked, unknown fields refused (a report carries
 * exactly what the protocol says, nothing a client could smuggle in). Parsing does not verify the token.
 *
 * @param helped    the randomized answer to "did it help?", as the client sent it
 * @param rating    1 to 5, when given
 * @param latencyMs the run's latency in milliseconds, when given
 */
record ReportRequest(ReportToken token, Sha256 packageDigest, boolean helped, OptionalInt rating, OptionalInt latencyMs,
                     String runtime, String device) {

    static final Set<String> RUNTIMES = Set.of("wasm", "js", "jvm");
    static final Set<String> DEVICES = Set.of("phone", "tablet", "desktop", "other");
    /** A latency above an hour is not a measurement of one run. */
    static final int MAX_LATENCY_MS = 3_600_000;

    private static final Set<String> FIELDS = Set.of("token", "package", "helped", "rating", "latencyMs", "runtime",
            "device");
    private static final Set<String> TOKEN_FIELDS = Set.of("keyId", "message", "signature");

    /** @throws ReportRefused {@code malformed}, naming the first field that is missing or wrong */
    static ReportRequest parse(JsonObject body) {
        unknown(body, FIELDS, "");
        JsonObject token = object(body, "token");
        unknown(token, TOKEN_FIELDS, "token.");
        String keyId = string(token, "keyId", "token.keyId");
        byte[] message = base64Url(token, "message");
        byte[] signature = base64Url(token, "signature");
        Sha256 digest;
        try {
            digest = Sha256.parse(string(body, "package", "package"));
        } catch (IllegalArgumentException e) {
            throw bad("package", "must be a package digest (sha256: and 64 lowercase hex digits)");
        }
        Object helped = body.getValue("helped");
        if (!(helped instanceof Boolean)) {
            throw bad("helped", "must be true or false");
        }
        OptionalInt rating = optionalInt(body, "rating", 1, 5);
        OptionalInt latency = optionalInt(body, "latencyMs", 0, MAX_LATENCY_MS);
        String runtime = string(body, "runtime", "runtime");
        if (!RUNTIMES.contains(runtime)) {
            throw bad("runtime", "must be one of wasm, js, jvm");
        }
        String device = string(body, "device", "device");
        if (!DEVICES.contains(device)) {
            throw bad("device", "must be one of phone, tablet, desktop, other");
        }
        return new ReportRequest(new ReportToken(keyId, message, signature), digest, (Boolean) helped, rating, latency,
                runtime, device);
    }

    private static void unknown(JsonObject json, Set<String> known, String prefix) {
        Optional<String> extra = json.fieldNames().stream().filter(f -> !known.contains(f)).sorted().findFirst();
        if (extra.isPresent()) {
            throw bad(prefix + extra.get(), "is not a report field; a report carries only " + String.join(", ",
                    known.stream().sorted().toList()));
        }
    }

    private static JsonObject object(JsonObject json, String field) {
        Object value = json.getValue(field);
        if (!(value instanceof JsonObject o)) {
            throw bad(field, value == null ? "is missing" : "must be an object");
        }
        return o;
    }

    private static String string(JsonObject json, String field, String path) {
        Object value = json.getValue(field);
        if (!(value instanceof String s)) {
            throw bad(path, value == null ? "is missing" : "must be a string");
        }
        return s;
    }

    private static byte[] base64Url(JsonObject token, String field) {
        String text = string(token, field, "token." + field);
        if (text.length() > 1024) {
            throw bad("token." + field, "is longer than any token's " + field);
        }
        try {
            return Base64Url.decode(text);
        } catch (IllegalArgumentException e) {
            throw bad("token." + field, "must be unpadded base64url: " + e.getMessage());
        }
    }

    private static OptionalInt optionalInt(JsonObject json, String field, int min, int max) {
        Object value = json.getValue(field);
        if (value == null) {
            if (json.containsKey(field)) {
                throw bad(field, "must be left out rather than null");
            }
            return OptionalInt.empty();
        }
        if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < min
                || ((Number) value).longValue() > max) {
            throw bad(field, "must be an integer from " + min + " to " + max);
        }
        return OptionalInt.of(((Number) value).intValue());
    }

    /** A report refused for {@code reason} because of {@code field}: "'field' what". */
    static ReportRefused bad(ReportRefused.Reason reason, String field, String what) {
        return new ReportRefused(reason, field, "'" + field + "' " + what);
    }

    private static ReportRefused bad(String field, String what) {
        return bad(ReportRefused.Reason.MALFORMED, field, what);
    }
}
