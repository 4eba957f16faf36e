package dev.grove.federation;

import dev.grove.dsse.Envelope;
import dev.grove.json.Json;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonValue;
import dev.grove.pkg.Bundle;
import dev.grove.pkg.PublicKeyEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writes Grove log entries as {@code docs/transparency-log.md} ("Entries") fixes them: compact JSON, members in the
 * documented order. {@link LogEntry#parse} reads them back.
 */
public final class LogEntries {
    private LogEntries() {
    }

    /** A {@code keyset/v1} entry; {@code envelope} is absent for sequence 1. */
    public static byte[] keyset(String namespace, long sequence, List<PublicKeyEntry> keys, Optional<Envelope> envelope) {
        List<JsonValue> k = new ArrayList<>();
        keys.forEach(e -> k.add(e.toJson()));
        JsonObject.Builder b = JsonObject.builder()
                .put("kind", "keyset/v1")
                .put("namespace", namespace)
                .put("sequence", sequence)
                .put("keys", JsonArray.of(k));
        envelope.ifPresent(e -> b.put("envelope", e.toJson()));
        return Json.writeBytes(b.build());
    }

    /** A {@code package/v1} entry. */
    public static byte[] pkg(Bundle bundle, String name, String version) {
        return Json.writeBytes(JsonObject.builder()
                .put("kind", "package/v1")
                .put("name", name)
                .put("version", version)
                .put("digest", bundle.packageDigest().toString())
                .put("bundle", bundle.toJson())
                .build());
    }

    /** A {@code yank/v1} entry. */
    public static byte[] yank(String name, String version, String digest, Envelope envelope) {
        return Json.writeBytes(JsonObject.builder()
                .put("kind", "yank/v1")
                .put("name", name)
                .put("version", version)
                .put("digest", digest)
                .put("envelope", envelope.toJson())
                .build());
    }
}
