package dev.grove.node.problem;

/** A statement signed by no key allowed to sign it (a signer outside the namespace's keyset). */
public final class ForbiddenSigner extends NodeFailure {

    public ForbiddenSigner(String message) {
        super(message, null);
    }

    public ForbiddenSigner(String message, Throwable cause) {
        super(message, cause);
    }
}
