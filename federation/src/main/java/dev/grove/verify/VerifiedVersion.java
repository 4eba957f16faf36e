package dev.grove.verify;

import dev.grove.checkpoint.Checkpoint;
import dev.grove.note.Cosignature;
import dev.grove.pkg.VerifiedPackage;
import java.util.List;
import java.util.OptionalLong;

/**
 * A version that passed every check of a {@link TrustPolicy}.
 *
 * @param pkg          the signed documents, verified
 * @param proof        the inclusion proof that verified (what {@code grove pull} keeps)
 * @param checkpoint   the checkpoint it verified against, signed by the policy's log key
 * @param cosignatures the valid cosignatures on that checkpoint by the policy's witnesses
 * @param checks       what was checked, in order, one sentence each (for a report to the user)
 */
public record VerifiedVersion(VerifiedPackage pkg, LogProof.Included proof, Checkpoint checkpoint,
                              List<Cosignature> cosignatures, List<Check> checks) {

    /** One check that passed: its name (as {@link Refusal.Check#wireName()}) and what it established. */
    public record Check(String name, String detail) {
    }

    public VerifiedVersion {
        cosignatures = List.copyOf(cosignatures);
        checks = List.copyOf(checks);
    }

    /** The time of the freshest cosignature by a known witness, POSIX seconds. */
    public OptionalLong freshestCosignature() {
        long best = -1;
        for (Cosignature c : cosignatures) {
            best = Math.max(best, c.timestamp());
        }
        return best < 0 ? OptionalLong.empty() : OptionalLong.of(best);
    }
}
