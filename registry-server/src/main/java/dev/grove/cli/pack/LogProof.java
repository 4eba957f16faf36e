package dev.grove.cli.pack;

import dev.grove.checkpoint.Checkpoint;
import dev.grove.checkpoint.CheckpointException;
import dev.grove.checkpoint.CheckpointVerifier;
import dev.grove.crypto.StrictBase64;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonException;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonString;
import dev.grove.json.JsonValue;
import dev.grove.logentry.LogEntries;
import dev.grove.note.Note;
import dev.grove.note.NoteException;
import dev.grove.note.NoteVerifier;
import dev.grove.pkg.Bundle;
import dev.grove.pkg.DocumentException;
import dev.grove.tlog.InclusionProof;
import dev.grove.tlog.MerkleHash;
import dev.grove.tlog.ProofException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A version's log proof, as a node serves it ({@code "log": {"index", "treeSize", "checkpoint", "inclusion"}} in the
 * version document) and as {@code grove pull} keeps it ({@value #FILE}). {@link #verify} rebuilds the {@code package/v1}
 * entry from the bundle the client verified, so the leaf is never taken from the node.
 */
public record LogProof(long index, long treeSize, String checkpoint, List<byte[]> inclusion) {
    /** The file {@code grove pull} writes beside the package. */
    public static final String FILE = "grove.log.json";
    /** Far more than any tree of 2^63 leaves needs: a cap on hostile input. */
    private static final int MAX_HASHES = 128;

    public LogProof {
        inclusion = List.copyOf(inclusion);
    }

    /**
     * The proof in a version document's {@code log} member: empty when the document has none or the entry is not in a
     * checkpoint yet (only {@code index}).
     *
     * @throws VerificationException when it is malformed
     */
    public static Optional<LogProof> fromVersionDocument(JsonObject doc) {
        Optional<JsonObject> log;
        try {
            log = doc.optObject("log");
        } catch (JsonException e) {
            throw new VerificationException("the node's log proof is malformed: " + e.getMessage(), e);
        }
        if (log.isEmpty() || !log.get().has("checkpoint")) {
            return Optional.empty();
        }
        return Optional.of(parse(log.get(), "the node's log proof"));
    }

    /** Parses {@code {"index","treeSize","checkpoint","inclusion"}} ({@value #FILE} has the same members). */
    public static LogProof parse(JsonObject o, String what) {
        try {
            long index = o.integer("index");
            long size = o.integer("treeSize");
            String checkpoint = o.string("checkpoint");
            JsonArray hashes = o.array("inclusion");
            if (hashes.size() > MAX_HASHES) {
                throw new VerificationException(what + " has " + hashes.size() + " hashes; at most " + MAX_HASHES);
            }
            List<byte[]> inclusion = new ArrayList<>();
            for (int i = 0; i < hashes.size(); i++) {
                byte[] h = StrictBase64.decode(hashes.string(i));
                if (h.length != MerkleHash.SIZE) {
                    throw new VerificationException(what + ": inclusion[" + i + "] is not a 32-byte hash");
                }
                inclusion.add(h);
            }
            return new LogProof(index, size, checkpoint, inclusion);
        } catch (JsonException | IllegalArgumentException e) {
            throw new VerificationException(what + " is malformed: " + e.getMessage(), e);
        }
    }

    /** The origin line of the checkpoint, read without verifying anything (to find the key to verify with). */
    public String originUnverified() {
        try {
            return Checkpoint.parse(Note.parse(checkpoint).text()).origin();
        } catch (NoteException | CheckpointException e) {
            throw new VerificationException("the log checkpoint is malformed: " + e.getMessage(), e);
        }
    }

    /**
     * Verifies the checkpoint with the log key (origin = key name) and that the {@code package/v1} entry rebuilt from
     * {@code bundle} is at {@link #index} in its tree.
     *
     * @return the verified checkpoint
     * @throws VerificationException naming what failed
     */
    public Checkpoint verify(Bundle bundle, NoteVerifier logKey) {
        Checkpoint cp;
        try {
            cp = CheckpointVerifier.forLog(logKey).verify(checkpoint);
        } catch (CheckpointException | IllegalArgumentException e) {
            throw new VerificationException("the log checkpoint does not verify with the log key " + logKey + ": "
                    + e.getMessage(), e);
        }
        if (cp.size() != treeSize) {
            throw new VerificationException("the log proof is for tree size " + treeSize + ", but its checkpoint is of size "
                    + cp.size());
        }
        byte[] entry;
        try {
            entry = LogEntries.pkg(bundle);
        } catch (DocumentException | JsonException e) {
            throw new VerificationException("cannot rebuild the log entry: " + e.getMessage(), e);
        }
        try {
            InclusionProof.verify(MerkleHash.leafHash(entry), index, treeSize, cp.rootHash(), inclusion);
        } catch (ProofException | IllegalArgumentException e) {
            throw new VerificationException("the package is not entry " + index + " of log " + cp.origin() + " at size "
                    + treeSize + ": " + e.getMessage(), e);
        }
        return cp;
    }

    /** The {@value #FILE} document. */
    public JsonObject toJson() {
        List<JsonValue> hashes = new ArrayList<>();
        inclusion.forEach(h -> hashes.add(new JsonString(StrictBase64.encode(h))));
        return JsonObject.builder()
                .put("index", index)
                .put("treeSize", treeSize)
                .put("checkpoint", checkpoint)
                .put("inclusion", JsonArray.of(hashes))
                .build();
    }
}
