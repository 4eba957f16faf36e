package dev.grove.verify;

import java.util.List;

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
    private final List<VerifiedVersion.Check> passed;

    public Refusal(Check check, String message) {
        this(check, message, null, List.of());
    }

    public Refusal(Check check, String message, Throwable cause) {
        this(check, message, cause, List.of());
    }

    private Refusal(Check check, String message, Throwable cause, List<VerifiedVersion.Check> passed) {
        super(message, cause);
        this.check = check;
        this.passed = List.copyOf(passed);
    }

    public Check check() {
        return check;
    }

    /** The checks that passed before this one failed, in order (for a report to the user). */
    public List<VerifiedVersion.Check> passed() {
        return passed;
    }

    /** This refusal, after {@code checks} passed. */
    Refusal after(List<VerifiedVersion.Check> checks) {
        return new Refusal(check, getMessage(), getCause() == null ? this : getCause(), checks);
    }
}
