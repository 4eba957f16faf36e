package dev.grove.node.mirror;

/**
 * A peer could not be read this time (unreachable, an HTTP error, a timeout): not misbehaviour, the follower tries again
 * at its next check.
 */
final class PeerUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PeerUnavailable(String message) {
        super(message, null, false, false);
    }

    PeerUnavailable(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
