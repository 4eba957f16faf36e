package dev.grove.node.witness;

import dev.grove.note.NoteVerifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A node's witnessing settings, part of {@link dev.grove.node.NodeConfig}.
 *
 * @param logs             logs this node cosigns as a witness, beyond the peers it follows: their Ed25519 (type 0x01)
 *                         log keys, each named after its log's origin
 * @param witnessFollowed  whether the logs of the peers this node follows (with their pinned keys) are witnessed too
 * @param witnesses        the witnesses this node's own log asks for cosignatures
 */
public record WitnessSettings(List<NoteVerifier> logs, boolean witnessFollowed, List<WitnessEndpoint> witnesses) {

    public WitnessSettings {
        logs = List.copyOf(logs);
        witnesses = List.copyOf(witnesses);
        for (NoteVerifier log : logs) {
            if (log.type() != NoteVerifier.ED25519) {
                throw new IllegalArgumentException("a witnessed log's key must be an Ed25519 (type 0x01) key, got " + log);
            }
        }
        List<String> names = new ArrayList<>();
        for (WitnessEndpoint w : witnesses) {
            Objects.requireNonNull(w, "witness");
            if (names.contains(w.key().toString())) {
                throw new IllegalArgumentException("witness key given twice: " + w.key());
            }
            names.add(w.key().toString());
        }
    }

    /** Witness the followed peers; witness no other log; ask no witness. */
    public static WitnessSettings defaults() {
        return new WitnessSettings(List.of(), true, List.of());
    }

    /** These settings with one more log to witness. */
    public WitnessSettings withLog(NoteVerifier logKey) {
        List<NoteVerifier> more = new ArrayList<>(logs);
        more.add(logKey);
        return new WitnessSettings(more, witnessFollowed, witnesses);
    }

    /** These settings with one more witness to ask. */
    public WitnessSettings withWitness(WitnessEndpoint witness) {
        List<WitnessEndpoint> more = new ArrayList<>(witnesses);
        more.add(witness);
        return new WitnessSettings(logs, witnessFollowed, more);
    }

    public WitnessSettings withWitnessFollowed(boolean witnessFollowed) {
        return new WitnessSettings(logs, witnessFollowed, witnesses);
    }
}
