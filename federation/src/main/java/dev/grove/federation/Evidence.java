package dev.grove.federation;

import dev.grove.json.Json;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonNull;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonString;
import dev.grove.json.JsonValue;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What proves that a log's key holder misbehaved, in a form anyone can check offline with that key alone
 * ({@link EvidenceCheck}): the checkpoints it signed and the hashes or entries that show they cannot all be true or that
 * the log breaks a rule. Nothing in it needs the node that collected it to be trusted. Its JSON form,
 * {@value #FORMAT}, is documented in {@code docs/transparency-log.md} ("Faults and misbehaviour").
 *
 * @param kind        what the log did
 * @param origin      the log's origin (its key's name)
 * @param logKey      the log's verifier key string, as the collecting node pinned it
 * @param detail      a sentence saying what is wrong, naming sizes, indexes and digests
 * @param checkpoints signed checkpoint notes, exactly as served: two for a fork, one (the tree the entries are in) for
 *                    an entry
 * @param consistency for a fork between different sizes: the hashes that reproduce the larger tree's signed root but
 *                    not the smaller one's
 * @param entries     for an entry rule: the entries with their inclusion proofs in the checkpoint, ascending by index
 */
public record Evidence(Kind kind, String origin, String logKey, String detail, List<String> checkpoints,
                       Optional<Consistency> consistency, List<ProvenEntry> entries) {

    /** The version of the JSON form. */
    public static final String FORMAT = "grove.evidence/v1";

    /** The kinds of misbehaviour evidence can prove. */
    public enum Kind {
        /** Two checkpoints that cannot both be true: same size and different roots, or a smaller tree not in the larger. */
        FORK("fork"),
        /** An entry in the tree that is not a Grove log entry. */
        MALFORMED_ENTRY("malformed-entry"),
        /** A keyset change not signed by the namespace's keyset before it, or out of sequence. */
        FORGED_KEYSET("forged-keyset"),
        /** A package whose bundle does not verify against its namespace's keyset in force. */
        FORGED_PACKAGE("forged-package"),
        /** A yank not signed by the namespace's keyset in force. */
        FORGED_YANK("forged-yank"),
        /**
         * A release decision not signed by the log's key, not about a version the log recorded, or out of order (its
         * sequence or previous status is not what the log's earlier decisions make it).
         */
        FORGED_DECISION("forged-decision"),
        /** One version logged twice with different digests: a published version never changes. */
        REWRITTEN_VERSION("rewritten-version");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        /** The name stored and served, e.g. {@code forged-package}. */
        public String wireName() {
            return wireName;
        }

        /** @throws IllegalArgumentException for an unknown name */
        public static Kind fromWireName(String name) {
            for (Kind k : values()) {
                if (k.wireName.equals(name)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown evidence kind '" + name + "'");
        }
    }

    /**
     * Hashes that run through the RFC 9162 consistency-verification algorithm from {@code from} to {@code to}.
     *
     * @param oldTreeHash the larger tree's hash over its first {@code from} leaves, present exactly when {@code from} is
     *                    a power of two (the RFC's proof leaves it out: when the trees agree it is the smaller root)
     */
    public record Consistency(long from, long to, List<byte[]> hashes, Optional<byte[]> oldTreeHash) {
        public Consistency {
            Objects.requireNonNull(oldTreeHash, "oldTreeHash");
            hashes = copy(hashes);
            oldTreeHash = oldTreeHash.map(byte[]::clone);
        }
    }

    /**
     * An entry and its inclusion proof in the evidence's checkpoint.
     *
     * @param index     the entry's index in the log
     * @param bytes     the entry as logged
     * @param inclusion the RFC 9162 inclusion proof, bottom first
     */
    public record ProvenEntry(long index, byte[] bytes, List<byte[]> inclusion) {
        public ProvenEntry {
            bytes = bytes.clone();
            inclusion = copy(inclusion);
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }
    }

    public Evidence {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(logKey, "logKey");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(consistency, "consistency");
        checkpoints = List.copyOf(checkpoints);
        entries = List.copyOf(entries);
    }

    /** Two signed checkpoints (and, between different sizes, the hashes) that cannot all be true. */
    public static Evidence fork(String origin, String logKey, String detail, String older, String newer,
                                Optional<Consistency> consistency) {
        return new Evidence(Kind.FORK, origin, logKey, detail, List.of(older, newer), consistency, List.of());
    }

    /** The JSON form, members in a fixed order. */
    public JsonObject toJson() {
        JsonObject.Builder b = JsonObject.builder()
                .put("format", FORMAT)
                .put("kind", kind.wireName())
                .put("origin", origin)
                .put("logKey", logKey)
                .put("detail", detail)
                .put("checkpoints", JsonArray.ofStrings(checkpoints));
        consistency.ifPresent(c -> {
            JsonObject.Builder cb = JsonObject.builder().put("from", c.from()).put("to", c.to())
                    .put("hashes", hashes(c.hashes()));
            c.oldTreeHash().ifPresent(h -> cb.put("oldTreeHash", b64(h)));
            b.put("consistency", cb.build());
        });
        List<JsonValue> list = new ArrayList<>();
        for (ProvenEntry e : entries) {
            list.add(JsonObject.builder().put("index", e.index()).put("entry", b64(e.bytes()))
                    .put("inclusion", hashes(e.inclusion())).build());
        }
        b.put("entries", JsonArray.of(list));
        return b.build();
    }

    /** The JSON form as text (compact). */
    public String toJsonString() {
        return Json.write(toJson());
    }

    /**
     * Reads the JSON form; members it does not know (such as the {@code id} a node adds) are ignored.
     *
     * @throws IllegalArgumentException naming what is missing or malformed
     */
    public static Evidence parse(JsonObject o) {
        try {
            String format = o.string("format");
            if (!FORMAT.equals(format)) {
                throw new IllegalArgumentException("format is '" + format + "', this checker reads " + FORMAT);
            }
            List<String> checkpoints = new ArrayList<>();
            for (JsonValue v : o.array("checkpoints")) {
                if (!(v instanceof JsonString s)) {
                    throw new IllegalArgumentException("checkpoints must be strings (signed notes)");
                }
                checkpoints.add(s.value());
            }
            Optional<Consistency> consistency = Optional.empty();
            Optional<JsonValue> c = o.get("consistency").filter(v -> !(v instanceof JsonNull));
            if (c.isPresent()) {
                if (!(c.get() instanceof JsonObject co)) {
                    throw new IllegalArgumentException("consistency must be an object");
                }
                Optional<byte[]> oldTreeHash = co.optString("oldTreeHash").map(Evidence::unb64);
                consistency = Optional.of(new Consistency(co.integer("from"), co.integer("to"),
                        unhashes(co.array("hashes")), oldTreeHash));
            }
            List<ProvenEntry> entries = new ArrayList<>();
            for (JsonValue v : o.optArray("entries").orElse(JsonArray.of())) {
                if (!(v instanceof JsonObject e)) {
                    throw new IllegalArgumentException("entries must be objects");
                }
                entries.add(new ProvenEntry(e.integer("index"), unb64(e.string("entry")), unhashes(e.array("inclusion"))));
            }
            return new Evidence(Kind.fromWireName(o.string("kind")), o.string("origin"), o.string("logKey"),
                    o.string("detail"), checkpoints, consistency, entries);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not " + FORMAT + " evidence: " + e.getMessage(), e);
        }
    }

    private static JsonArray hashes(List<byte[]> hashes) {
        List<String> out = new ArrayList<>();
        hashes.forEach(h -> out.add(b64(h)));
        return JsonArray.ofStrings(out);
    }

    private static List<byte[]> unhashes(JsonArray a) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            out.add(unb64(a.string(i)));
        }
        return out;
    }

    private static List<byte[]> copy(List<byte[]> hashes) {
        List<byte[]> out = new ArrayList<>(hashes.size());
        hashes.forEach(h -> out.add(h.clone()));
        return Collections.unmodifiableList(out);
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    static byte[] unb64(String s) {
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s)
                    + "' is not base64");
        }
    }
}
