package dev.grove.tlog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An RFC 9162 inclusion proof (audit path): the sibling hashes from leaf {@code leafIndex} up to the root of the tree of
 * {@code treeSize} leaves, bottom first.
 *
 * @param leafIndex index of the proven leaf
 * @param treeSize size of the tree the proof leads to
 * @param hashes the audit path, copied in and unmodifiable
 */
public record InclusionProof(long leafIndex, long treeSize, List<byte[]> hashes) {
    public InclusionProof {
        if (leafIndex < 0 || leafIndex >= treeSize) {
            throw new IllegalArgumentException("leaf index " + leafIndex + " is not in a tree of size " + treeSize);
        }
        hashes = Proofs.copyHashes(hashes, "inclusion proof");
    }

    /**
     * Generates the proof per RFC 9162 section 2.1.3.1 (PATH), reading the subtree hashes it needs from {@code source}.
     *
     * @throws ProofException when the source cannot supply a hash
     */
    public static InclusionProof generate(long leafIndex, long treeSize, HashSource source) throws ProofException {
        if (leafIndex < 0 || leafIndex >= treeSize) {
            throw new IllegalArgumentException("leaf index " + leafIndex + " is not in a tree of size " + treeSize);
        }
        return new InclusionProof(leafIndex, treeSize, Proofs.hashAll(source, ranges(leafIndex, treeSize)));
    }

    /** Number of hashes in every valid proof for this leaf and tree size. */
    public static int expectedLength(long leafIndex, long treeSize) {
        return ranges(leafIndex, treeSize).size();
    }

    /** The subtree ranges [start, end) whose hashes form PATH(m, D[0:n]), bottom first. */
    private static List<long[]> ranges(long m, long n) {
        List<long[]> topDown = new ArrayList<>();
        long start = 0;
        long end = n;
        while (end - start > 1) {
            long k = MerkleHash.largestPowerOfTwoBelow(end - start);
            if (m < start + k) {
                topDown.add(new long[] {start + k, end});
                end = start + k;
            } else {
                topDown.add(new long[] {start, start + k});
                start = start + k;
            }
        }
        Collections.reverse(topDown);
        return topDown;
    }

    /** Verifies this proof for the given leaf hash against the root hash of a tree of {@link #treeSize()}. */
    public void verify(byte[] leafHash, byte[] rootHash) throws ProofException {
        verify(leafHash, leafIndex, treeSize, rootHash, hashes);
    }

    /**
     * Verifies an inclusion proof per RFC 9162 section 2.1.3.2.
     *
     * @throws ProofException saying why the proof fails: an index outside the tree, the wrong number of hashes, or a
     *     computed root that differs from {@code rootHash}
     */
    public static void verify(byte[] leafHash, long leafIndex, long treeSize, byte[] rootHash, List<byte[]> proof)
            throws ProofException {
        MerkleHash.checkHash(leafHash, "leaf");
        MerkleHash.checkHash(rootHash, "root");
        if (leafIndex < 0 || leafIndex >= treeSize) {
            throw new ProofException("leaf index " + leafIndex + " is not in a tree of size " + treeSize);
        }
        Proofs.checkHashes(proof, "inclusion proof");
        int expected = expectedLength(leafIndex, treeSize);
        if (proof.size() != expected) {
            throw new ProofException("inclusion proof for leaf " + leafIndex + " in a tree of size " + treeSize
                    + " must have " + expected + " hashes, has " + proof.size());
        }
        long fn = leafIndex;
        long sn = treeSize - 1;
        byte[] r = leafHash.clone();
        for (byte[] p : proof) {
            if (sn == 0) {
                throw new ProofException("inclusion proof has more hashes than the tree has levels");
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = MerkleHash.nodeHash(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>>= 1;
                        sn >>>= 1;
                    }
                }
            } else {
                r = MerkleHash.nodeHash(r, p);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        if (sn != 0) {
            throw new ProofException("inclusion proof has fewer hashes than the tree has levels");
        }
        if (!MerkleHash.equal(r, rootHash)) {
            throw new ProofException("inclusion proof for leaf " + leafIndex + " leads to root " + MerkleHash.hex(r)
                    + ", not " + MerkleHash.hex(rootHash) + " of the tree of size " + treeSize);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InclusionProof p && p.leafIndex == leafIndex && p.treeSize == treeSize
                && Proofs.sameHashes(p.hashes, hashes);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(leafIndex) * 31 + Long.hashCode(treeSize) * 17 + Proofs.hashCode(hashes);
    }

    @Override
    public String toString() {
        return "InclusionProof[leafIndex=" + leafIndex + ", treeSize=" + treeSize + ", hashes=" + Proofs.format(hashes)
                + "]";
    }
}
