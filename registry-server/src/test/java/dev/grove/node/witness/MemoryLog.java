package dev.grove.node.witness;

import dev.grove.checkpoint.Checkpoint;
import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.note.Note;
import dev.grove.note.NoteSigner;
import dev.grove.note.NoteVerifier;
import dev.grove.tlog.ConsistencyProof;
import dev.grove.tlog.HashSources;
import dev.grove.tlog.MerkleHash;
import dev.grove.tlog.ProofException;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A log held in memory for witness tests, built with the format layer only: entries, signed checkpoints and consistency
 * proofs. Two instances with the same origin and key but different entries are a log showing two histories.
 */
final class MemoryLog implements LogCheckpoints {

    private final String origin;
    private final NoteSigner signer;
    private final List<byte[]> leaves = new ArrayList<>();
    private final String flavour;

    MemoryLog(String origin, Ed25519PrivateKey key, String flavour) {
        this.origin = origin;
        this.signer = NoteSigner.ed25519(origin, key);
        this.flavour = flavour;
    }

    MemoryLog(String origin) {
        this(origin, Ed25519PrivateKey.generate(), "");
    }


    synchronized MemoryLog grow(int n) {
        for (int i = 0; i < n; i++) {
            int index = leaves.size();
            leaves.add(MerkleHash.leafHash(("entry " + index + flavour).getBytes(StandardCharsets.UTF_8)));
        }
        return this;
    }

    synchronized long size() {
        return leaves.size();
    }

    NoteVerifier verifier() {
        return signer.verifier();
    }

    NoteSigner signer() {
        return signer;
    }

    String origin() {
        return origin;
    }

    synchronized Checkpoint checkpointBody(long size) {
        return new Checkpoint(origin, size, MerkleHash.rootFromLeaves(leaves.subList(0, (int) size)));
    }

    /** The checkpoint at {@code size}, signed by the log key. */
    synchronized Note checkpoint(long size) {
        return signer.sign(Note.unsigned(checkpointBody(size).format()));
    }

    synchronized List<byte[]> proof(long oldSize, long newSize) {
        try {
            return ConsistencyProof.generate(oldSize, newSize,
                    HashSources.fromLeafHashes(new ArrayList<>(leaves.subList(0, (int) newSize)))).hashes();
        } catch (ProofException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized Future<Optional<Note>> latest() {
        return Future.succeededFuture(leaves.isEmpty() ? Optional.empty() : Optional.of(checkpoint(leaves.size())));
    }

    @Override
    public synchronized Future<ConsistencyProof> consistency(long oldSize, long newSize) {
        return Future.succeededFuture(new ConsistencyProof(oldSize, newSize, proof(oldSize, newSize)));
    }
}
