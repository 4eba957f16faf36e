package dev.grove.federation;

import dev.grove.checkpoint.Checkpoint;
import dev.grove.checkpoint.CheckpointException;
import dev.grove.checkpoint.CheckpointVerifier;
import dev.grove.note.NoteException;
import dev.grove.note.NoteVerifier;
import dev.grove.tlog.ConsistencyProof;
import dev.grove.tlog.ProofException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a peer's new checkpoint may replace the last one verified: it must be signed by the pinned key, for
 * the pinned origin, not smaller than the last one, with the same root at the same size, and consistent with it (RFC
 * 9162 §2.1.4). A checkpoint that passes is the new "last verified"; one that fails is a {@link Misbehaviour} whose
 * evidence holds both signed notes (and the proof).
 *
 * <pre>{@code
 * CheckpointFollower follower = CheckpointFollower.forKey(pinnedKey);
 * VerifiedCheckpoint next = follower.verify(servedNote);              // BAD_SIGNATURE
 * if (follower.needsConsistencyProof(last, next)) { proof = fetch(last.size(), next.size()); }
 * follower.checkAdvance(last, next, proof);                           // ROLLBACK, FORK
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

    /**
     * Verifies the signature and origin of a served checkpoint.
     *
     * @throws Misbehaviour BAD_SIGNATURE with the note as served
     */
    public VerifiedCheckpoint verify(String signedNote) throws Misbehaviour {
        try {
            return new VerifiedCheckpoint(signedNote, verifier.verify(signedNote));
        } catch (CheckpointException e) {
            throw Misbehaviour.of(Evidence.Kind.BAD_SIGNATURE, "checkpoint from " + verifier.origin()
                    + " does not verify with the pinned key " + verifier.logKey() + ": " + e.getMessage(), signedNote);
        }
    }

    /** Whether {@link #checkAdvance} needs a consistency proof from {@code last}'s size to {@code next}'s. */
    public static boolean needsConsistencyProof(Optional<VerifiedCheckpoint> last, VerifiedCheckpoint next) {
        return last.isPresent() && last.get().size() > 0 && next.size() > last.get().size();
    }

    /**
     * Checks that {@code next} may follow {@code last}: no rollback, no different root at the same size, and, when it
     * grew, {@code proof} (hashes of the consistency proof from {@code last.size()} to {@code next.size()}) verifies.
     *
     * @param proof ignored unless {@link #needsConsistencyProof} said one is needed
     * @throws Misbehaviour ROLLBACK or FORK, the evidence holding both signed notes (and the proof, base64 hashes)
     */
    public static void checkAdvance(Optional<VerifiedCheckpoint> last, VerifiedCheckpoint next, List<byte[]> proof)
            throws Misbehaviour {
        if (last.isEmpty()) {
            return;
        }
        VerifiedCheckpoint old = last.get();
        if (!old.origin().equals(next.origin())) {
            throw Misbehaviour.of(Evidence.Kind.FORK, "checkpoint names origin '" + next.origin()
                    + "' but the peer's log is '" + old.origin() + "'", old.note(), next.note());
        }
        if (next.size() < old.size()) {
            throw Misbehaviour.of(Evidence.Kind.ROLLBACK, "tree size went back from " + old.size() + " to "
                    + next.size() + ": a log only grows", old.note(), next.note());
        }
        if (next.size() == old.size()) {
            if (!java.util.Arrays.equals(old.rootHash(), next.rootHash())) {
                throw Misbehaviour.of(Evidence.Kind.FORK, "two checkpoints of size " + next.size()
                        + " with different roots " + b64(old.rootHash()) + " and " + b64(next.rootHash()),
                        old.note(), next.note());
            }
            return;
        }
        if (old.size() == 0) {
            return;
        }
        try {
            ConsistencyProof.verify(old.size(), old.rootHash(), next.size(), next.rootHash(), proof);
        } catch (ProofException e) {
            throw Misbehaviour.of(Evidence.Kind.FORK, "checkpoint of size " + next.size()
                    + " is not consistent with the verified checkpoint of size " + old.size() + ": " + e.getMessage(),
                    old.note(), next.note(), proofText(old.size(), next.size(), proof));
        }
    }

    /** A consistency proof as kept in evidence: {@code consistency <from> <to>} then one base64 hash per line. */
    public static String proofText(long from, long to, List<byte[]> proof) {
        StringBuilder sb = new StringBuilder("consistency ").append(from).append(' ').append(to).append('\n');
        for (byte[] h : proof) {
            sb.append(b64(h)).append('\n');
        }
        return sb.toString();
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
