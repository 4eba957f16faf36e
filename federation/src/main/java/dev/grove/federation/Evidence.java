package dev.grove.federation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What a peer did wrong, with the statements that show it exactly as they were received: signed notes (checkpoints),
 * log entries, proofs. Where two statements conflict (a fork, a rollback) both signed notes are kept, so anyone holding
 * the peer's key can check the evidence without trusting the node that stored it.
 *
 * @param kind       what was caught
 * @param detail     a sentence saying what is wrong, naming sizes, indexes and digests
 * @param statements the statements as received, oldest first
 */
public record Evidence(Kind kind, String detail, List<String> statements) {

    /** The kinds of misbehaviour a follower catches. */
    public enum Kind {
        /** The checkpoint is not signed by the pinned key (or not for the peer's origin). */
        BAD_SIGNATURE("bad-signature"),
        /** A checkpoint smaller than one already verified. */
        ROLLBACK("rollback"),
        /** Two checkpoints that cannot both be true: same size and different roots, or no valid consistency proof. */
        FORK("fork"),
        /** An entry (or a hash tile) that does not hash into the tree the checkpoint commits to. */
        ENTRY_NOT_IN_TREE("entry-not-in-tree"),
        /** An entry in the tree that is not a Grove log entry. */
        MALFORMED_ENTRY("malformed-entry"),
        /** A keyset change not signed by the namespace's previous keyset, or out of sequence. */
        FORGED_KEYSET("forged-keyset"),
        /** A package whose bundle does not verify against its namespace's keyset, or that rewrites a version. */
        FORGED_PACKAGE("forged-package"),
        /** A yank not signed by the namespace's keyset, or of a version the log does not hold. */
        FORGED_YANK("forged-yank"),
        /** An artifact whose bytes do not match the digest the signed contract names. */
        TAMPERED_BLOB("tampered-blob"),
        /**
         * A release decision not signed by the log's key, not about a version the log recorded, or out of order (its
         * sequence or previous status is not what the log's earlier decisions make it).
         */
        FORGED_DECISION("forged-decision");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        /** The name stored and served, e.g. {@code entry-not-in-tree}. */
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

    public Evidence {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
        statements = Collections.unmodifiableList(new ArrayList<>(statements));
    }

    public static Evidence of(Kind kind, String detail, String... statements) {
        return new Evidence(kind, detail, List.of(statements));
    }
}
