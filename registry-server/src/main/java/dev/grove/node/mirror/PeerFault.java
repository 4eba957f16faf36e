package dev.grove.node.mirror;

import dev.grove.federation.Fault;

/**
 * A round of following failed for a {@link Fault}: the peer could not be read (unreachable, an HTTP error, a timeout,
 * malformed answers) or what it served does not verify, without proof that it lied. Nothing of it is stored; the
 * follower tries again with backoff. Unchecked, to travel through futures.
 */
final class PeerFault extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Fault fault;

    PeerFault(Fault fault) {
        super(fault.toString(), null, false, false);
        this.fault = fault;
    }

    PeerFault(Fault.Kind kind, String reason) {
        this(new Fault(kind, reason));
    }

    Fault fault() {
        return fault;
    }
}
