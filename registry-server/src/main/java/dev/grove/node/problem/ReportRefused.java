package dev.grove.node.problem;

import java.util.Objects;
import java.util.Optional;

/**
 * An anonymous report (or its body) refused, with why: the {@link Reason}, whose {@link Reason#label() label} is the
 * {@code reason} member of the problem a client sees and the tag of the refusal counter, and the request field at fault
 * when there is one (the {@code field} member).
 */
public final class ReportRefused extends NodeFailure {

    /**
     * Why a report was refused. Two reasons share the label {@code bad-token}: a token message that is not a well-formed
     * token (the request is malformed) and a token whose signature does not verify (the sender holds no token of this
     * node's).
     */
    public enum Reason {
        /** The body is not a report: not JSON, a field missing, wrong or unknown. */
        MALFORMED("malformed"),
        /** The token names another issuer key than this node's. */
        UNKNOWN_KEY("unknown-key"),
        /** The token's message is not a well-formed token message. */
        MALFORMED_TOKEN("bad-token"),
        /** The token's signature does not verify with this node's issuer key. */
        UNSIGNED_TOKEN("bad-token"),
        /** No version on this node has the report's package digest. */
        UNKNOWN_PACKAGE("unknown-package"),
        /** The token already carried a report. */
        SPENT("spent");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        /** The {@code reason} member of the problem and the counter's tag. */
        public String label() {
            return label;
        }
    }

    private final Reason reason;
    private final String field;

    /** A refusal that names no field of the request. */
    public ReportRefused(Reason reason, String message) {
        this(reason, null, message);
    }

    /** A refusal of {@code field} (a JSON path such as {@code token.keyId}), or of no field when it is null. */
    public ReportRefused(Reason reason, String field, String message) {
        super(message, null);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.field = field;
    }

    public Reason reason() {
        return reason;
    }

    /** The request field at fault, when the refusal names one. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }
}
