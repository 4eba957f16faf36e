package dev.grove.cli;

import dev.grove.checkpoint.Checkpoint;
import dev.grove.checkpoint.CheckpointException;
import dev.grove.checkpoint.CheckpointVerifier;
import dev.grove.cli.pack.VerificationException;
import dev.grove.note.Cosignature;
import dev.grove.note.Note;
import dev.grove.note.NoteException;
import dev.grove.note.NoteVerifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --witness KEY ... --min-witnesses K [--log-key KEY]}: demand that the checkpoint a version's log proof is
 * against (its log signature verified by {@code LogCheck} with the pinned {@code --log-key}) carries valid cosignatures
 * (c2sp.org/tlog-cosignature) by at least K of the given witnesses, so that a node showing this client a history it did
 * not show the witnesses is refused.
 */
public final class WitnessOptions {

    @Option(names = "--witness", paramLabel = "KEY", arity = "1..*",
            description = "Verifier key of a witness whose cosignature counts (repeatable); a Grove node publishes its"
                    + " witness key at /.well-known/grove/witness-key.")
    List<String> witnesses = new ArrayList<>();

    @Option(names = "--min-witnesses", paramLabel = "K",
            description = "How many of the --witness keys must have cosigned the checkpoint (default: 1 when --witness"
                    + " is given).")
    Integer minWitnesses;

    @Option(names = "--log-key", paramLabel = "KEY",
            description = "The log's verifier key, pinned for its origin (default: the key pinned earlier, else the one"
                    + " the node publishes at /.well-known/grove/node, pinned on first use).")
    String logKey;

    /** True when the user asked for witnesses. */
    public boolean requested() {
        return !witnesses.isEmpty() || (minWitnesses != null && minWitnesses > 0);
    }

    /**
     * Checks, when witnesses were asked for, that the checkpoint the version's log proof was verified against carries
     * valid cosignatures by at least K of the given witnesses; returns the line to print, or empty when none were asked
     * for.
     *
     * @param verifiedCheckpoint the signed checkpoint whose log signature {@code LogCheck} verified with the pinned log
     *     key; empty when it could not be checked
     * @throws VerificationException when there is no verified checkpoint, or fewer than K of the given witnesses
     *     cosigned it, or a cosignature by one of them is invalid
     * @throws CommandFailure (usage) for a malformed key or K
     */
    public Optional<String> check(Optional<String> verifiedCheckpoint) {
        if (!requested()) {
            return Optional.empty();
        }
        List<NoteVerifier> keys = witnessKeys();
        int k = minWitnesses == null ? 1 : minWitnesses;
        if (k < 0 || k > keys.size()) {
            throw CommandFailure.usage("--min-witnesses must be between 0 and the number of --witness keys ("
                    + keys.size() + "), got " + k);
        }
        String signed = verifiedCheckpoint.orElseThrow(() -> new VerificationException("witnesses were demanded, but"
                + " the version's log proof could not be checked against a signed checkpoint (see above)"));
        Note note;
        Checkpoint checkpoint;
        try {
            note = Note.parse(signed);
            checkpoint = Checkpoint.parse(note.text());
        } catch (NoteException | CheckpointException e) {
            throw new VerificationException("the log checkpoint is refused: " + e.getMessage(), e);
        }
        int cosigned = countCosignatures(note, keys, k);
        return Optional.of("checkpoint " + checkpoint.origin() + " at size " + checkpoint.size() + " cosigned by "
                + cosigned + " of the " + keys.size() + " given witness(es), " + k + " needed");
    }

    /**
     * Counts the valid cosignatures of {@code witnesses} on a note whose log signature was verified already.
     *
     * @throws VerificationException when a listed witness's cosignature is invalid or fewer than {@code k} cosigned
     */
    static int countCosignatures(Note note, List<NoteVerifier> witnesses, int k) {
        List<String> missing = new ArrayList<>();
        int cosigned = 0;
        for (NoteVerifier w : witnesses) {
            if (note.signatures().stream().noneMatch(w::isKeyOf)) {
                missing.add(w.name());
                continue;
            }
            try {
                Cosignature.verify(note, w);
            } catch (NoteException e) {
                throw new VerificationException("the log checkpoint is refused: " + e.getMessage(), e);
            }
            cosigned++;
        }
        if (cosigned < k) {
            throw new VerificationException("the log checkpoint is refused: checkpoint has " + cosigned + " of the " + k
                    + " witness cosignatures needed (missing: " + String.join(", ", missing) + ")");
        }
        return cosigned;
    }

    /**
     * Verifies the log's signature and at least {@code k} cosignatures by {@code witnesses} on a signed checkpoint.
     *
     * @throws VerificationException naming what failed
     */
    public static Checkpoint verify(String signedCheckpoint, NoteVerifier logKey, List<NoteVerifier> witnesses, int k) {
        try {
            return CheckpointVerifier.forLog(logKey).verifyCosigned(signedCheckpoint, witnesses, k);
        } catch (CheckpointException | IllegalArgumentException e) {
            throw new VerificationException("the log checkpoint is refused: " + e.getMessage(), e);
        }
    }

    private List<NoteVerifier> witnessKeys() {
        List<NoteVerifier> keys = new ArrayList<>();
        for (String text : witnesses) {
            NoteVerifier key = parseKey("--witness", text);
            if (key.type() != NoteVerifier.COSIGNATURE_V1) {
                throw CommandFailure.usage("--witness " + key + " is not a witness (cosignature/v1, type 0x04) key");
            }
            keys.add(key);
        }
        return keys;
    }

    private static NoteVerifier parseKey(String what, String text) {
        try {
            return NoteVerifier.parse(text.trim());
        } catch (NoteException e) {
            throw CommandFailure.usage(what + ": " + e.getMessage());
        }
    }
}
