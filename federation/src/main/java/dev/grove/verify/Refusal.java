package dev.grove.verify;

/**
 * Why a version was not accepted: one check, one sentence a user can act on. Unchecked, so that the verifier reads as
 * the sequence of its checks.
 */
public final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The checks, in the order the verifier makes them. */
    public enum Check {
        /** The document is not a version document (malformed JSON, bundle or proof). */
        DOCUMENT("document"),
        /** None of the bundle's keys is one the policy or the namespace's keyset trusts. */
        KEYSET("keyset"),
        /** An envelope is not signed by a trusted key, or has the wrong payload type. */
        SIGNATURES("signatures"),
        /** The documents do not agree: a card about another version, a card digest the contract does not pin. */
        CARDS("cards"),
        /** The node's stated package digest is not the digest of the signed contract. */
        PACKAGE_DIGEST("package digest"),
        /** The signed contract is not the package asked for. */
        REFERENCE("reference"),
        /** No inclusion proof, or one that does not verify against a checkpoint signed by the log key. */
        LOG("log"),
        /** The entry is logged but not in a signed checkpoint yet: ask again shortly. */
        LOG_PENDING("log pending"),
        /** Fewer valid cosignatures by the policy's witnesses than it demands, or an invalid one. */
        WITNESSES("witnesses"),
        /** No cosignature by a known witness recent enough for the policy's maximum age. */
        FRESHNESS("freshness");

        private final String wireName;

        Check(String wireName) {
            this.wireName = wireName;
        }

        /** The name shown to users and passed to the browser, e.g. {@code "package digest"}. */
        public String wireName() {
            return wireName;
        }
    }

    private final Check check;

    public Refusal(Check check, String message) {
        super(message);
        this.check = check;
    }

    public Refusal(Check check, String message, Throwable cause) {
        super(message, cause);
        this.check = check;
    }

    public Check check() {
        return check;
    }
}
