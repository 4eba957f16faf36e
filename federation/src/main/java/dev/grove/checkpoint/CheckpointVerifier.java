package dev.grove.checkpoint;

import dev.grove.note.Cosignature;
import dev.grove.note.Note;
import dev.grove.note.NoteException;
import dev.grove.note.NoteVerifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Verifies signed checkpoints of one log: the note must carry a valid Ed25519 signature by the log's key, and its text must
 * be a checkpoint whose origin is the expected one (by default the key name, Grove's convention: a log's key is named
 * after its origin). Signatures by other keys are ignored, as the signed-note spec requires.
 */
public final class CheckpointVerifier {
    private final NoteVerifier logKey;
    private final String origin;

    private CheckpointVerifier(NoteVerifier logKey, String origin) {
        this.logKey = logKey;
        this.origin = origin;
    }

    /** A verifier for the log with this key, expecting the origin line to equal the key name. */
    public static CheckpointVerifier forLog(NoteVerifier logKey) {
        return forLog(logKey, logKey.name());
    }

    /** A verifier for the log with this key and origin line. */
    public static CheckpointVerifier forLog(NoteVerifier logKey, String origin) {
        if (logKey.type() != NoteVerifier.ED25519) {
            throw new IllegalArgumentException("a log signs checkpoints with an Ed25519 (type 0x01) key, not " + logKey);
        }
        return new CheckpointVerifier(logKey, origin);
    }

    /**
     * Parses the verifier key and verifies the signed checkpoint with it.
     *
     * @throws CheckpointException when the key or the note is malformed, the log's signature is missing or invalid, or
     *     the text is not a checkpoint of the key's origin
     */
    public static Checkpoint verify(String signedCheckpoint, String verifierKey) throws CheckpointException {
        NoteVerifier key;
        try {
            key = NoteVerifier.parse(verifierKey);
        } catch (NoteException e) {
            throw new CheckpointException(e.getMessage(), e);
        }
        return forLog(key).verify(signedCheckpoint);
    }

    /** Verifies a signed checkpoint and returns it. */
    public Checkpoint verify(String signedCheckpoint) throws CheckpointException {
        try {
            return verify(Note.parse(signedCheckpoint));
        } catch (NoteException e) {
            throw new CheckpointException(e.getMessage(), e);
        }
    }

    /** Verifies a parsed signed note as a checkpoint of this log and returns the checkpoint. */
    public Checkpoint verify(Note note) throws CheckpointException {
        try {
            logKey.verify(note);
        } catch (NoteException e) {
            throw new CheckpointException(e.getMessage(), e);
        }
        Checkpoint c = Checkpoint.parse(note.text());
        if (!c.origin().equals(origin)) {
            throw new CheckpointException("checkpoint origin '" + c.origin() + "' is not the log's origin '" + origin
                    + "'");
        }
        return c;
    }

    /**
     * Verifies a checkpoint and the cosignatures of at least {@code quorum} of the given witnesses; returns the
     * checkpoint. Witnesses whose cosignature is missing do not count; an invalid cosignature by a listed witness fails
     * the whole checkpoint.
     */
    public Checkpoint verifyCosigned(String signedCheckpoint, List<NoteVerifier> witnesses, int quorum)
            throws CheckpointException {
        Note note;
        try {
            note = Note.parse(signedCheckpoint);
        } catch (NoteException e) {
            throw new CheckpointException(e.getMessage(), e);
        }
        Checkpoint c = verify(note);
        List<String> missing = new ArrayList<>();
        int cosigned = 0;
        for (NoteVerifier w : witnesses) {
            if (!hasSignatureBy(note, w)) {
                missing.add(w.name());
                continue;
            }
            try {
                Cosignature.verify(note, w);
            } catch (NoteException e) {
                throw new CheckpointException(e.getMessage(), e);
            }
            cosigned++;
        }
        if (cosigned < quorum) {
            throw new CheckpointException("checkpoint has " + cosigned + " of the " + quorum
                    + " witness cosignatures needed (missing: " + String.join(", ", missing) + ")");
        }
        return c;
    }

    private static boolean hasSignatureBy(Note note, NoteVerifier key) {
        for (var s : note.signatures()) {
            if (key.isKeyOf(s)) {
                return true;
            }
        }
        return false;
    }

    public NoteVerifier logKey() {
        return logKey;
    }

    public String origin() {
        return origin;
    }
}
