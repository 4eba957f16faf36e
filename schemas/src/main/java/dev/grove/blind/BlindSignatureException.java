package dev.grove.blind;

/**
 * A blind-signature step that cannot complete: a signature that does not verify, a message that is not a valid input for
 * the key, a blind signature that does not unblind to a valid signature. The message says which.
 */
public final class BlindSignatureException extends Exception {

    public BlindSignatureException(String message) {
        super(message);
    }
}
