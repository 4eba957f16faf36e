package dev.grove.cli;

import dev.grove.checkpoint.Checkpoint;
import dev.grove.checkpoint.CheckpointException;
import dev.grove.checkpoint.CheckpointVerifier;
import dev.grove.cli.client.RegistryClient;
import dev.grove.cli.pack.VerificationException;
import dev.grove.json.JsonException;
import dev.grove.json.JsonObject;
import dev.grove.note.NoteException;
import dev.grove.note.NoteVerifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --witness KEY ... --min-witnesses K [--log-key KEY]}: demand that the checkpoint a version's log proof is
 * against carries valid cosignatures (c2sp.org/tlog-cosignature) by at least K of the given witnesses, so that a node
 * showing this client a history it did not show the witnesses is refused.
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
            description = "The log's verifier key (default: the one the node publishes at /.well-known/grove/node,"
                    + " trusted on this use).")
    String logKey;

    /** True when the user asked for witnesses. */
    public boolean requested() {
        return !witnesses.isEmpty() || (minWitnesses != null && minWitnesses > 0);
    }

    /**
     * Checks the checkpoint of a version document ({@code "log": {"checkpoint": ...}}) when witnesses were asked for;
     * returns the line to print, or empty when none were asked for.
     *
     * @throws VerificationException when the checkpoint is missing, its log signature fails, or fewer than K of the
     *     given witnesses cosigned it
     * @throws CommandFailure (usage) for a malformed key or K
     */
    public Optional<String> check(RegistryClient client, JsonObject versionDocument) {
        if (!requested()) {
            return Optional.empty();
        }
        List<NoteVerifier> keys = witnessKeys();
        int k = minWitnesses == null ? 1 : minWitnesses;
        if (k < 0 || k > keys.size()) {
            throw CommandFailure.usage("--min-witnesses must be between 0 and the number of --witness keys ("
                    + keys.size() + "), got " + k);
        }
        String checkpoint;
        try {
            checkpoint = versionDocument.optObject("log").flatMap(log -> log.optString("checkpoint"))
                    .orElseThrow(() -> new VerificationException("the node's answer has no signed checkpoint for this"
                            + " version (is its log entry not in a checkpoint yet? retry in a few seconds)"));
        } catch (JsonException e) {
            throw new VerificationException("the node's log proof is malformed: " + e.getMessage(), e);
        }
        NoteVerifier log = logKey(client);
        Checkpoint verified = verify(checkpoint, log, keys, k);
        return Optional.of("checkpoint " + verified.origin() + " at size " + verified.size() + ": log signature and "
                + "at least " + k + " of " + keys.size() + " witness cosignature(s) verified");
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

    private NoteVerifier logKey(RegistryClient client) {
        if (logKey != null) {
            return parseKey("--log-key", logKey);
        }
        JsonObject node = client.getJson("/.well-known/grove/node");
        try {
            return parseKey("the node's logKey", node.string("logKey"));
        } catch (JsonException e) {
            throw new VerificationException("the node does not publish its log key: " + e.getMessage(), e);
        }
    }

    private static NoteVerifier parseKey(String what, String text) {
        try {
            return NoteVerifier.parse(text.trim());
        } catch (NoteException e) {
            throw CommandFailure.usage(what + ": " + e.getMessage());
        }
    }
}
