package dev.grove.reports;

import dev.grove.blind.BlindRsa;
import dev.grove.blind.BlindRsaPublicKey;
import dev.grove.blind.BlindSignatureException;
import dev.grove.blind.Blinding;
import dev.grove.blind.RandomBytes;
import java.nio.charset.StandardCharsets;

/**
 * The one-report tokens of Grove's anonymous reports: an RFC 9474 blind signature ({@link BlindRsa}) by the node's issuer
 * key over a prepared message {@code prefix(32) || "grove-report-token/v1" || nonce(32)}, 85 bytes. The label keeps the
 * issuer key's signatures from meaning anything else; the random nonce and prefix make each token unique. The node signs
 * the blinded message without seeing it, so it cannot link the token it later verifies to the request that got it signed.
 *
 * <pre>{@code
 * ReportTokens.Request request = ReportTokens.request(issuerKey, random); // send request.blindedMessage()
 * ReportToken token = request.finish(blindSignature);                      // spend it with one report
 * }</pre>
 */
public final class ReportTokens {

    /** The label inside every token message. */
    public static final String LABEL = "grove-report-token/v1";
    public static final int NONCE_BYTES = 32;
    /** The length of a token's (prepared) message. */
    public static final int MESSAGE_BYTES = BlindRsa.PREFIX_BYTES + LABEL.length() + NONCE_BYTES;

    private static final byte[] LABEL_BYTES = LABEL.getBytes(StandardCharsets.US_ASCII);

    private ReportTokens() {
    }

    /** Starts a token for {@code issuer}: a fresh message, prepared and blinded with {@code random}. */
    public static Request request(BlindRsaPublicKey issuer, RandomBytes random) throws BlindSignatureException {
        byte[] message = new byte[LABEL_BYTES.length + NONCE_BYTES];
        System.arraycopy(LABEL_BYTES, 0, message, 0, LABEL_BYTES.length);
        byte[] nonce = new byte[NONCE_BYTES];
        random.fill(nonce);
        System.arraycopy(nonce, 0, message, LABEL_BYTES.length, NONCE_BYTES);
        byte[] prepared = BlindRsa.prepare(message, random);
        return new Request(issuer, BlindRsa.blind(issuer, prepared, random));
    }

    /**
     * Checks that {@code message} has the token format (length and label); says what is wrong, or nothing.
     *
     * @return empty when the format is right, else a sentence for the sender
     */
    public static String formatProblem(byte[] message) {
        if (message.length != MESSAGE_BYTES) {
            return "a token message has " + MESSAGE_BYTES + " bytes, not " + message.length;
        }
        for (int i = 0; i < LABEL_BYTES.length; i++) {
            if (message[BlindRsa.PREFIX_BYTES + i] != LABEL_BYTES[i]) {
                return "the token message does not carry the label " + LABEL;
            }
        }
        return "";
    }

    /** A token being obtained: the blinded message to send, and what finishing needs. */
    public static final class Request {
        private final BlindRsaPublicKey issuer;
        private final Blinding blinding;

        private Request(BlindRsaPublicKey issuer, Blinding blinding) {
            this.issuer = issuer;
            this.blinding = blinding;
        }

        /** What to send to the issuer ({@code kLen} bytes). */
        public byte[] blindedMessage() {
            return blinding.blindedMessage();
        }

        /**
         * The token, from the issuer's blind signature.
         *
         * @throws BlindSignatureException when the blind signature does not finish into a valid signature by the key the
         *                                 request was made for
         */
        public ReportToken finish(byte[] blindSignature) throws BlindSignatureException {
            byte[] signature = BlindRsa.finalizeSignature(issuer, blinding, blindSignature);
            return new ReportToken(issuer.keyId(), blinding.preparedMessage(), signature);
        }
    }
}
