package dev.grove.node.problem;

/** A signature by a key the node trusts that does not verify: the payload changed after signing, or the signature is corrupt. */
public final class SignatureRejected extends NodeFailure {

    public SignatureRejected(String message) {
        super(message, null);
    }

    public SignatureRejected(String message, Throwable cause) {
        super(message, cause);
    }
}
