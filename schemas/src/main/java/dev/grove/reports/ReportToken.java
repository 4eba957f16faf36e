package dev.grove.reports;

import dev.grove.blind.Base64Url;
import dev.grove.blind.BlindRsa;
import dev.grove.blind.BlindRsaPublicKey;
import java.util.Objects;

/**
 * A finished one-report token: the issuer key's id, the prepared message and its signature. Spent once, with one report.
 */
public final class ReportToken {

    private final String keyId;
    private final byte[] message;
    private final byte[] signature;

    public ReportToken(String keyId, byte[] message, byte[] signature) {
        this.keyId = Objects.requireNonNull(keyId, "keyId");
        this.message = message.clone();
        this.signature = signature.clone();
    }

    public String keyId() {
        return keyId;
    }

    public byte[] message() {
        return message.clone();
    }

    public byte[] signature() {
        return signature.clone();
    }

    /** The message in unpadded base64url, as a report carries it. */
    public String messageBase64Url() {
        return Base64Url.encode(message);
    }

    /** The signature in unpadded base64url, as a report carries it. */
    public String signatureBase64Url() {
        return Base64Url.encode(signature);
    }

    /** Whether the token is well-formed and signed by {@code issuer} (the key id is the caller's to compare). */
    public boolean verifies(BlindRsaPublicKey issuer) {
        return ReportTokens.formatProblem(message).isEmpty() && BlindRsa.verify(issuer, message, signature);
    }

    @Override
    public String toString() {
        return "report token of issuer " + keyId;
    }
}
