package dev.grove.federation;

import java.util.Objects;

/**
 * Why a peer's answer was refused when nothing in it proves that the peer lied: the bytes may have been changed on the
 * way, the peer may be down, or it may have served an old state. Nothing of a refused answer is stored; the follower
 * tries again later (with backoff), and recovers by itself once the path is honest again. Only {@link Misbehaviour},
 * with evidence anyone holding the peer's key can check, quarantines a peer.
 *
 * @param kind   what went wrong, in a word
 * @param reason a sentence naming the resource, sizes and indexes
 */
public record Fault(Kind kind, String reason) {

    /** The kinds of faults a follower meets. */
    public enum Kind {
        /** The peer could not be reached, or did not answer in time. */
        UNREACHABLE("unreachable"),
        /** The peer answered with an HTTP error. */
        HTTP_ERROR("http-error"),
        /** An answer that is not what it should be (not JSON, not a checkpoint, too large). */
        MALFORMED("malformed"),
        /** A checkpoint whose signature does not verify with the pinned key (or that names another origin). */
        BAD_SIGNATURE("bad-signature"),
        /** A checkpoint older than one already verified, and consistent with it: a replay, not a lie. */
        OLD_CHECKPOINT("old-checkpoint"),
        /** Tiles or entry bundles whose bytes do not hash into the signed tree. */
        NOT_IN_TREE("not-in-tree"),
        /** A consistency proof that does not lead to the signed root it should (it proves nothing either way). */
        BAD_PROOF("bad-proof"),
        /** An artifact whose bytes do not match the digest the signed contract names. */
        TAMPERED_BLOB("tampered-blob"),
        /** The peer's log is already followed through another URL. */
        ORIGIN_CONFLICT("origin-conflict"),
        /** A rule broken in the peer's log, but the evidence could not be assembled (too large, or not served). */
        UNPROVEN("unproven"),
        /** This node failed (its database, a bug): nothing is known about the peer. */
        INTERNAL("internal");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        /** The name stored and served, e.g. {@code not-in-tree}. */
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
            throw new IllegalArgumentException("unknown fault kind '" + name + "'");
        }
    }

    public Fault {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
        return kind.wireName() + ": " + reason;
    }
}
