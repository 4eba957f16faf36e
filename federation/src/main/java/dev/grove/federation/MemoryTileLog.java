package dev.grove.federation;

import dev.grove.checkpoint.Checkpoint;
import dev.grove.note.Note;
import dev.grove.note.NoteSigner;
import dev.grove.tlog.ConsistencyProof;
import dev.grove.tlog.EntryBundle;
import dev.grove.tlog.HashSource;
import dev.grove.tlog.HashSources;
import dev.grove.tlog.HashTile;
import dev.grove.tlog.InclusionProof;
import dev.grove.tlog.MerkleHash;
import dev.grove.tlog.ProofException;
import dev.grove.tlog.TilePath;
import java.util.ArrayList;
import java.util.List;

/**
 * A small tlog-tiles log held in memory: what it serves at any tree size (checkpoints, hash tiles, entry bundles,
 * consistency proofs), built with the format layer. For tests and tools that need a log without a node, such as a
 * peer that lies on purpose; not for large logs (it keeps every leaf hash).
 */
public final class MemoryTileLog {
    private final NoteSigner signer;
    private final List<byte[]> entries = new ArrayList<>();
    private final List<byte[]> leaves = new ArrayList<>();

    /** @param signer the log's key, named after its origin */
    public MemoryTileLog(NoteSigner signer) {
        this.signer = signer;
    }

    public String origin() {
        return signer.name();
    }

    /** The log's key (to announce it, or to sign with it). */
    public NoteSigner signer() {
        return signer;
    }

    /** Appends an entry; returns its index. */
    public synchronized long append(byte[] entry) {
        cachedSize = -1;
        entries.add(entry.clone());
        leaves.add(MerkleHash.leafHash(entry));
        return entries.size() - 1;
    }

    public long size() {
        return entries.size();
    }

    public byte[] entry(long index) {
        return entries.get((int) index).clone();
    }

    /** The root hash of the tree of this size. */
    public byte[] root(long size) {
        return MerkleHash.rootFromLeaves(leaves.subList(0, (int) size));
    }

    /** The checkpoint of the tree at this size, signed with the log's key. */
    public String checkpoint(long size) {
        return sign(new Checkpoint(origin(), size, root(size)), signer);
    }

    /** A checkpoint body signed by any signer (to forge one). */
    public static String sign(Checkpoint checkpoint, NoteSigner signer) {
        return signer.sign(Note.unsigned(checkpoint.format())).toString();
    }

    /** The bytes of a hash tile or an entry bundle as served at tree size {@code size}. */
    public byte[] tile(TilePath path, long size) throws ProofException {
        if (path.width() != TilePath.widthAt(path.level(), path.index(), size)) {
            throw new ProofException(path + " does not exist at tree size " + size);
        }
        long start = path.index() * TilePath.WIDTH;
        if (path.isEntryBundle()) {
            return EntryBundle.of(entries.subList((int) start, (int) start + path.width())).toBytes();
        }
        HashSource source = source(size);
        List<byte[]> hashes = new ArrayList<>();
        int level = path.level() * TilePath.HEIGHT;
        for (int i = 0; i < path.width(); i++) {
            hashes.add(source.hash(level, start + i));
        }
        return HashTile.of(hashes).toBytes();
    }

    private long cachedSize = -1;
    private HashSource cached;

    private synchronized HashSource source(long size) {
        if (size != cachedSize) {
            cached = HashSources.fromLeafHashes(leaves.subList(0, (int) size));
            cachedSize = size;
        }
        return cached;
    }

    /** The inclusion proof of entry {@code index} in the tree of {@code size}. */
    public List<byte[]> inclusion(long index, long size) throws ProofException {
        return InclusionProof.generate(index, size, source(size)).hashes();
    }

    /** The consistency proof between two sizes. */
    public List<byte[]> consistency(long from, long to) throws ProofException {
        return ConsistencyProof.generate(from, to, HashSources.fromLeafHashes(leaves.subList(0, (int) to))).hashes();
    }
}
