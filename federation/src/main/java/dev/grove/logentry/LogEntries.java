package dev.grove.logentry;

import dev.grove.crypto.Ed25519PublicKey;
import dev.grove.crypto.KeyId;
import dev.grove.crypto.Sha256;
import dev.grove.dsse.Envelope;
import dev.grove.json.Json;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonValue;
import dev.grove.pkg.Bundle;
import dev.grove.pkg.Contract;
import dev.grove.pkg.ParsedBundle;
import dev.grove.pkg.PackageName;
import dev.grove.pkg.PublicKeyEntry;
import dev.grove.tlog.EntryBundle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds log entries. Members are written in the order docs/transparency-log.md lists them, without insignificant white
 * space; the envelopes are written by {@link Envelope#toJson()}, so their payload bytes and signatures travel unchanged.
 * The same statement always gives the same bytes.
 */
public final class LogEntries {
    /** The {@code kind} of a namespace keyset binding or change. */
    public static final String KEYSET = "keyset/v1";
    /** The {@code kind} of a published package version. */
    public static final String PACKAGE = "package/v1";
    /** The {@code kind} of a yank. */
    public static final String YANK = "yank/v1";
    /** The {@code kind} of a release decision (a promotion or a demotion) by the node that keeps the log. */
    public static final String DECISION = "decision/v1";
    /** The largest entry a log holds (tlog-tiles entry bundles prefix each entry with a uint16 length). */
    public static final int MAX_SIZE = EntryBundle.MAX_ENTRY_SIZE;

    private LogEntries() {
    }

    /**
     * A {@code keyset/v1} entry: {@code {"kind","namespace","sequence","keys","envelope"}}.
     *
     * @param keys     the keyset, in its order
     * @param envelope the signed change; empty for sequence 1, the binding made by the namespace's first publish
     * @throws IllegalArgumentException when sequence 1 comes with an envelope or a later sequence without one
     */
    public static byte[] keyset(String namespace, long sequence, Map<KeyId, Ed25519PublicKey> keys,
                                Optional<Envelope> envelope) {
        PackageName.checkNamespace(namespace);
        if (sequence < 1) {
            throw new IllegalArgumentException("keyset sequence must be at least 1, got " + sequence);
        }
        if ((sequence == 1) != envelope.isEmpty()) {
            throw new IllegalArgumentException(sequence == 1
                    ? "the binding of a namespace (sequence 1) has no signed envelope"
                    : "keyset change " + sequence + " needs the signed envelope");
        }
        List<JsonValue> k = new ArrayList<>(keys.size());
        keys.forEach((id, key) -> k.add(new PublicKeyEntry(id, key).toJson()));
        JsonObject.Builder entry = JsonObject.builder()
                .put("kind", KEYSET)
                .put("namespace", namespace)
                .put("sequence", sequence)
                .put("keys", JsonArray.of(k));
        envelope.ifPresent(e -> entry.put("envelope", e.toJson()));
        return bytes(entry.build());
    }

    /**
     * A {@code package/v1} entry: {@code {"kind","name","version","digest","bundle"}}, where {@code bundle} holds the three
     * envelopes exactly as published and the signers' public keys (what a node serves as a version's {@code bundle}).
     * Name, version and digest are read from the contract payload, so a client rebuilding the entry from a bundle it
     * verified gets the entry the node appended.
     *
     * @throws dev.grove.pkg.DocumentException when the contract payload is not a contract
     */
    public static byte[] pkg(Bundle bundle) {
        return pkg(bundle, Contract.parse(bundle.contract().payload()));
    }

    /** {@link #pkg(Bundle)} of {@code bundle.bundle()}, with the contract it has parsed. */
    public static byte[] pkg(ParsedBundle bundle) {
        return pkg(bundle.bundle(), bundle.contract());
    }

    private static byte[] pkg(Bundle bundle, Contract contract) {
        return bytes(JsonObject.builder()
                .put("kind", PACKAGE)
                .put("name", contract.name().toString())
                .put("version", contract.version().toString())
                .put("digest", bundle.packageDigest().toString())
                .put("bundle", bundle.toJson())
                .build());
    }

    /**
     * A {@code yank/v1} entry: {@code {"kind","name","version","digest","envelope"}}.
     *
     * @param digest   the package digest of the yanked version
     * @param envelope the signed yank statement
     */
    public static byte[] yank(PackageName name, String version, Sha256 digest, Envelope envelope) {
        return bytes(JsonObject.builder()
                .put("kind", YANK)
                .put("name", name.toString())
                .put("version", version)
                .put("digest", digest.toString())
                .put("envelope", envelope.toJson())
                .build());
    }

    /**
     * A {@code decision/v1} entry: {@code {"kind","name","version","digest","status","envelope"}}.
     *
     * @param digest   the package digest of the version decided on
     * @param status   the status the decision gives it ({@code promoted} or {@code experiment})
     * @param envelope the decision statement, signed by the node's log key
     */
    public static byte[] decision(PackageName name, String version, Sha256 digest, String status, Envelope envelope) {
        return bytes(JsonObject.builder()
                .put("kind", DECISION)
                .put("name", name.toString())
                .put("version", version)
                .put("digest", digest.toString())
                .put("status", status)
                .put("envelope", envelope.toJson())
                .build());
    }

    private static byte[] bytes(JsonObject entry) {
        return Json.write(entry).getBytes(StandardCharsets.UTF_8);
    }
}
