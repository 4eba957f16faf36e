package dev.grove.federation;

import dev.grove.crypto.Sha256;
import dev.grove.dsse.Envelope;
import dev.grove.json.Json;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonValue;
import dev.grove.pkg.Bundle;
import dev.grove.pkg.PackageName;
import dev.grove.pkg.ParsedBundle;
import dev.grove.pkg.PublicKeyEntry;
import dev.grove.semver.SemVer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One Grove log entry, parsed but not yet believed (see {@code docs/transparency-log.md}, "Entries"): a compact JSON
 * object whose {@code kind} says what it records. Parsing checks shape only; {@link EntryVerifier} checks the
 * signatures.
 */
public sealed interface LogEntry {

    /** The entry's index in its log. */
    long index();

    /** The entry bytes as they are in the log. */
    byte[] bytes();

    /** {@code keyset/v1}: a namespace bound (sequence 1, no envelope) or its keyset changed (the signed change). */
    record KeysetEntry(long index, byte[] bytes, String namespace, long sequence, List<PublicKeyEntry> keys,
                       Optional<Envelope> envelope) implements LogEntry {
    }

    /**
     * {@code package/v1}: a version published, with its bundle exactly as published. The bundle's documents are parsed
     * when first needed ({@link EntryVerifier#pkg} after the signatures verified), once, for whoever reads them after.
     */
    record PackageEntry(long index, byte[] bytes, PackageName name, SemVer version, Sha256 digest, ParsedBundle parsed)
            implements LogEntry {

        /** The bundle's envelopes and keys, as the entry carries them. */
        public Bundle bundle() {
            return parsed.bundle();
        }
    }

    /** {@code yank/v1}: a version yanked, with the signed yank statement. */
    record YankEntry(long index, byte[] bytes, PackageName name, SemVer version, Sha256 digest, Envelope envelope)
            implements LogEntry {
    }

    /**
     * {@code decision/v1}: the node that keeps the log promoted or demoted one of its versions, with the decision
     * statement signed by its log key.
     */
    record DecisionEntry(long index, byte[] bytes, PackageName name, SemVer version, Sha256 digest, String status,
                         Envelope envelope) implements LogEntry {
    }

    /** A kind this node does not know yet: skipped, never an error. */
    record OtherEntry(long index, byte[] bytes, String kind) implements LogEntry {
    }

    /**
     * Parses entry {@code index}.
     *
     * @throws RuleBroken MALFORMED_ENTRY naming the first problem (the entry alone shows it)
     */
    static LogEntry parse(long index, byte[] bytes) throws RuleBroken {
        try {
            JsonObject o = Json.parseObject(bytes);
            String kind = o.string("kind");
            switch (kind) {
                case "keyset/v1": {
                    List<PublicKeyEntry> keys = new ArrayList<>();
                    for (JsonValue v : o.array("keys")) {
                        JsonObject k = (JsonObject) v;
                        keys.add(new PublicKeyEntry(dev.grove.crypto.KeyId.parse(k.string("keyid")),
                                dev.grove.crypto.Ed25519PublicKey.fromBase64(k.string("publicKey"))));
                    }
                    Optional<Envelope> envelope = o.get("envelope").filter(v -> !(v instanceof dev.grove.json.JsonNull))
                            .map(LogEntry::envelope);
                    return new KeysetEntry(index, bytes.clone(), PackageName.checkNamespace(o.string("namespace")),
                            o.integer("sequence"), keys, envelope);
                }
                case "package/v1":
                    return new PackageEntry(index, bytes.clone(), PackageName.parse(o.string("name")),
                            SemVer.parse(o.string("version")), Sha256.parse(o.string("digest")),
                            ParsedBundle.of(Bundle.parse(o.object("bundle"))));
                case "yank/v1":
                    return new YankEntry(index, bytes.clone(), PackageName.parse(o.string("name")),
                            SemVer.parse(o.string("version")), Sha256.parse(o.string("digest")),
                            envelope(o.get("envelope").orElseThrow(() -> new IllegalArgumentException(
                                    "missing member 'envelope'"))));
                case "decision/v1":
                    return new DecisionEntry(index, bytes.clone(), PackageName.parse(o.string("name")),
                            SemVer.parse(o.string("version")), Sha256.parse(o.string("digest")), o.string("status"),
                            envelope(o.get("envelope").orElseThrow(() -> new IllegalArgumentException(
                                    "missing member 'envelope'"))));
                default:
                    return new OtherEntry(index, bytes.clone(), kind);
            }
        } catch (RuntimeException e) {
            throw new RuleBroken(new Violation(Evidence.Kind.MALFORMED_ENTRY, "entry " + index
                    + " is not a Grove log entry: " + e.getMessage(), index, bytes, new Violation.Needs.Nothing()));
        }
    }

    /** An envelope given as a JSON object or as a string holding one. */
    private static Envelope envelope(JsonValue v) {
        if (v instanceof JsonObject o) {
            return Envelope.parse(o);
        }
        if (v instanceof dev.grove.json.JsonString s) {
            return Envelope.parse(s.value());
        }
        throw new IllegalArgumentException("envelope must be an object");
    }
}
