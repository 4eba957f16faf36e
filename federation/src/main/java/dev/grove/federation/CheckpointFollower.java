package dev.grove.federation;

import dev.grove.checkpoint.Checkpoint;
import dev.grove.checkpoint.CheckpointException;
import dev.grove.checkpoint.CheckpointVerifier;
import dev.grove.note.NoteException;
import dev.grove.note.NoteVerifier;
import dev.grove.tlog.ConsistencyProof;
import dev.grove.tlog.MerkleHash;
import dev.grove.tlog.ProofException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Decides what a peer's served checkpoint means next to one already verified. It must be signed by the pinned key for
 * the pinned origin ({@link #verify}, a {@link Fault} otherwise: a note that does not verify proves nothing); then
 * {@link #compare} tells whether two verified checkpoints are consistent, cannot both be true (a fork, with evidence
 * that needs only the key to check), or whether the hashes given prove nothing either way.
 *
 * <pre>{@code
 * CheckpointFollower follower = CheckpointFollower.forKey(pinnedKey);
 * VerifiedCheckpoint next = follower.verify(servedNote);                  // FaultException: bad-signature
 * switch on follower.compare(last, next, proofHashes, Optional.empty()):  // Consistent, Forked, Unproven
 * }</pre>
 */
public final class CheckpointFollower {
    private final CheckpointVerifier verifier;

    private CheckpointFollower(CheckpointVerifier verifier) {
        this.verifier = verifier;
    }

    /** A follower of the log whose key (and origin: Grove names a log's key after its origin) is {@code logKey}. */
    public static CheckpointFollower forKey(NoteVerifier logKey) {
        return new CheckpointFollower(CheckpointVerifier.forLog(logKey));
    }

    /**
     * Parses the verifier key string ({@code <name>+<id>+<key>}).
     *
     * @throws IllegalArgumentException when the key is malformed or not an Ed25519 log key
     */
    public static CheckpointFollower forKey(String verifierKey) {
        try {
            return forKey(NoteVerifier.parse(verifierKey));
        } catch (NoteException e) {
            throw new IllegalArgumentException("log key: " + e.getMessage(), e);
        }
    }

    /** The origin checkpoints must name. */
    public String origin() {
        return verifier.origin();
    }

    /** The pinned log key. */
    public NoteVerifier logKey() {
        return verifier.logKey();
    }

    /**
     * Verifies the signature and origin of a served checkpoint.
     *
     * @throws FaultException BAD_SIGNATURE (the note may have been changed on the way; it proves nothing)
     */
    public VerifiedCheckpoint verify(String signedNote) throws FaultException {
        try {
            return new VerifiedCheckpoint(signedNote, verifier.verify(signedNote));
        } catch (CheckpointException e) {
            throw FaultException.of(Fault.Kind.BAD_SIGNATURE, "checkpoint of " + verifier.origin()
                    + " does not verify with the pinned key " + verifier.logKey() + ": " + e.getMessage());
        }
    }

    /** Whether a move from {@code last} to {@code next} needs a consistency proof from {@code last}'s size. */
    public static boolean needsConsistencyProof(Optional<VerifiedCheckpoint> last, VerifiedCheckpoint next) {
        return last.isPresent() && last.get().size() > 0 && next.size() > last.get().size();
    }

    /** What two verified checkpoints of one log say about each other. */
    public sealed interface Comparison {
        /** The smaller tree is a prefix of the larger one (or they are the same tree). */
        record Consistent() implements Comparison {
        }

        /** They cannot both be true; the evidence shows it with the log's key alone. */
        record Forked(Evidence evidence) implements Comparison {
        }

        /** The hashes given do not lead to the larger tree's signed root: they prove nothing either way. */
        record Unproven(String reason) implements Comparison {
        }
    }

    /**
     * Compares two verified checkpoints of this follower's log. Between different sizes it runs {@code proof} (the RFC
     * 9162 consistency proof from {@code older}'s size to {@code newer}'s) through the verification algorithm: when it
     * leads to {@code newer}'s signed root, the hashes are bound to that tree, and the smaller root it leads to either is
     * {@code older}'s root (consistent) or is not (a fork, proven).
     *
     * @param oldTreeHash when {@code older}'s size is a power of two, the larger tree's hash over that many leaves (the
     *                    RFC's proof leaves it out and starts from the smaller root, so without it such a proof can show
     *                    consistency but never a fork); ignored for other sizes
     * @throws IllegalArgumentException when {@code older} is larger than {@code newer}
     */
    public Comparison compare(VerifiedCheckpoint older, VerifiedCheckpoint newer, List<byte[]> proof,
                              Optional<byte[]> oldTreeHash) {
        long m = older.size();
        long n = newer.size();
        if (m > n) {
            throw new IllegalArgumentException("older checkpoint of size " + m + " is larger than " + n);
        }
        if (!older.origin().equals(newer.origin())) {
            return new Comparison.Unproven("the checkpoints name two origins, " + older.origin() + " and "
                    + newer.origin());
        }
        if (m == n) {
            if (Arrays.equals(older.rootHash(), newer.rootHash())) {
                return new Comparison.Consistent();
            }
            return new Comparison.Forked(Evidence.fork(origin(), logKey().toString(), "two checkpoints of size " + n
                    + " with different roots " + b64(older.rootHash()) + " and " + b64(newer.rootHash()),
                    older.note(), newer.note(), Optional.empty()));
        }
        if (m == 0) {
            return Arrays.equals(older.rootHash(), MerkleHash.emptyRoot()) ? new Comparison.Consistent()
                    : new Comparison.Unproven("a checkpoint of size 0 whose root is not the empty tree's");
        }
        boolean powerOfTwo = Long.bitCount(m) == 1;
        Optional<byte[]> seed = powerOfTwo ? oldTreeHash : Optional.empty();
        ConsistencyProof.Roots roots;
        try {
            roots = ConsistencyProof.roots(m, seed.orElse(older.rootHash()), n, proof);
        } catch (ProofException e) {
            return new Comparison.Unproven("consistency proof from " + m + " to " + n + ": " + e.getMessage());
        }
        if (!Arrays.equals(roots.newRoot(), newer.rootHash())) {
            return new Comparison.Unproven("the consistency proof from " + m + " to " + n + " leads to root "
                    + b64(roots.newRoot()) + ", not the signed root " + b64(newer.rootHash()) + " of size " + n
                    + ", so it proves nothing");
        }
        if (Arrays.equals(roots.oldRoot(), older.rootHash())) {
            return new Comparison.Consistent();
        }
        return new Comparison.Forked(Evidence.fork(origin(), logKey().toString(), "checkpoint of size " + n
                + " is not consistent with the checkpoint of size " + m + ": the hashes that lead to its signed root "
                + "give root " + b64(roots.oldRoot()) + " at size " + m + ", not the signed " + b64(older.rootHash()),
                older.note(), newer.note(), Optional.of(new Evidence.Consistency(m, n, proof, seed))));
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    /** Parses a checkpoint note's body without any signature check: for display of stored, already verified notes. */
    public static Checkpoint parseUnverified(String signedNote) throws CheckpointException {
        try {
            return Checkpoint.parse(dev.grove.note.Note.parse(signedNote).text());
        } catch (NoteException e) {
            throw new CheckpointException(e.getMessage(), e);
        }
    }
}
