package dev.grove.node.mirror;

import dev.grove.federation.Evidence;
import dev.grove.federation.Fault;
import dev.grove.federation.Misbehaviour;
import java.util.Optional;

/** How one round of following a peer ended. */
sealed interface Outcome {

    /** Everything asked for was read and verified (and stored). */
    record Followed() implements Outcome {
    }

    /** Nothing to do: the peer is quarantined. */
    record Idle() implements Outcome {
    }

    /** Refused without proof that the peer lied: shown on the peer and retried with backoff. */
    record Faulted(Fault fault, Optional<Throwable> cause) implements Outcome {
    }

    /** Proven misbehaviour: the peer is quarantined with the evidence. */
    record Proven(Evidence evidence) implements Outcome {
    }

    /** The outcome a round's failure stands for; a failure of this node (not the peer's) is an {@code internal} fault. */
    static Outcome of(Throwable failure) {
        if (failure instanceof Misbehaviour m) {
            return new Proven(m.evidence());
        }
        if (failure instanceof PeerFault f) {
            return new Faulted(f.fault(), Optional.empty());
        }
        return new Faulted(new Fault(Fault.Kind.INTERNAL, String.valueOf(failure)), Optional.of(failure));
    }
}
