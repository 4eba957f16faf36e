package dev.grove.blind;

import java.math.BigInteger;

/**
 * What the client keeps between blinding and finalizing: the prepared message, the blinded message it sends to the signer,
 * and the inverse of its blinding factor. Secret until the token is spent: whoever holds the inverse can link the blinded
 * message to the signature.
 */
public final class Blinding {

    private final byte[] preparedMessage;
    private final byte[] blindedMessage;
    private final BigInteger inverse;

    Blinding(byte[] preparedMessage, byte[] blindedMessage, BigInteger inverse) {
        this.preparedMessage = preparedMessage.clone();
        this.blindedMessage = blindedMessage.clone();
        this.inverse = inverse;
    }

    /** A copy of the prepared message (the 32-byte random prefix, then the message): what the signature is over. */
    public byte[] preparedMessage() {
        return preparedMessage.clone();
    }

    /** A copy of the blinded message, {@code kLen} bytes: what the client sends to the signer. */
    public byte[] blindedMessage() {
        return blindedMessage.clone();
    }

    BigInteger inverse() {
        return inverse;
    }

    @Override
    public String toString() {
        return "blinding of a " + preparedMessage.length + "-byte message";
    }
}
