package dev.grove.tlog;

import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 9162 consistency proof that the tree of {@code oldSize} leaves is a prefix of the tree of {@code newSize}
 * leaves. Empty when the old tree is empty or both sizes are equal.
 *
 * @param oldSize size of the earlier tree
 * @param newSize size of the later tree, at least {@code oldSize}
 * @param hashes the proof, copied in and unmodifiable
 */
public record ConsistencyProof(long oldSize, long newSize, List<byte[]> hashes) {
    public ConsistencyProof {
        if (oldSize < 0 || newSize < oldSize) {
            throw new IllegalArgumentException("need 0 <= old size <= new size, got " + oldSize + " and " + newSize);
        }
        hashes = Proofs.copyHashes(hashes, "consistency proof");
    }

    /**
     * Generates the proof per RFC 9162 section 2.1.4.1 (PROOF and SUBPROOF), reading the subtree hashes it needs from
     * {@code source}.
     *
     * @throws ProofException when the source cannot supply a hash
     */
    public static ConsistencyProof generate(long oldSize, long newSize, HashSource source) throws ProofException {
        if (oldSize < 0 || newSize < oldSize) {
            throw new IllegalArgumentException("need 0 <= old size <= new size, got " + oldSize + " and " + newSize);
        }
        return new ConsistencyProof(oldSize, newSize, Proofs.hashAll(source, ranges(oldSize, newSize)));
    }

    /** Number of hashes in every valid proof between these sizes. */
    public static int expectedLength(long oldSize, long newSize) {
        return ranges(oldSize, newSize).size();
    }

    private static List<long[]> ranges(long m, long n) {
        List<long[]> out = new ArrayList<>();
        if (m > 0 && m < n) {
            subproof(m, 0, n, true, out);
        }
        return out;
    }

    /** SUBPROOF(m, D[start:end], b), appending the ranges whose hashes form it, in proof order. */
    private static void subproof(long m, long start, long end, boolean b, List<long[]> out) {
        long n = end - start;
        if (m == n) {
            if (!b) {
                out.add(new long[] {start, end});
            }
            return;
        }
        long k = MerkleHash.largestPowerOfTwoBelow(n);
        if (m <= k) {
            subproof(m, start, start + k, b, out);
            out.add(new long[] {start + k, end});
        } else {
            subproof(m - k, start + k, end, false, out);
            out.add(new long[] {start, start + k});
        }
    }

    /** Verifies this proof between the given root hashes of the old and the new tree. */
    public void verify(byte[] oldRoot, byte[] newRoot) throws ProofException {
        verify(oldSize, oldRoot, newSize, newRoot, hashes);
    }

    /**
     * Verifies a consistency proof per RFC 9162 section 2.1.4.2, extended to the two cases it leaves out: from the empty
     * tree (the proof is empty and the old root must be the empty tree's hash) and between equal sizes (the proof is empty
     * and the roots must be equal).
     *
     * @throws ProofException saying why the proof fails
     */
    public static void verify(long oldSize, byte[] oldRoot, long newSize, byte[] newRoot, List<byte[]> proof)
            throws ProofException {
        MerkleHash.checkHash(oldRoot, "old root");
        MerkleHash.checkHash(newRoot, "new root");
        if (oldSize < 0 || newSize < oldSize) {
            throw new ProofException("old tree size " + oldSize + " is not between 0 and new tree size " + newSize);
        }
        Proofs.checkHashes(proof, "consistency proof");
        int expected = expectedLength(oldSize, newSize);
        if (proof.size() != expected) {
            throw new ProofException("consistency proof from size " + oldSize + " to " + newSize + " must have "
                    + expected + " hashes, has " + proof.size());
        }
        if (oldSize == 0) {
            if (!MerkleHash.equal(oldRoot, MerkleHash.emptyRoot())) {
                throw new ProofException("old root " + MerkleHash.hex(oldRoot) + " is not the hash of the empty tree");
            }
            return;
        }
        if (oldSize == newSize) {
            if (!MerkleHash.equal(oldRoot, newRoot)) {
                throw new ProofException("trees of the same size " + oldSize + " have different roots "
                        + MerkleHash.hex(oldRoot) + " and " + MerkleHash.hex(newRoot));
            }
            return;
        }
        Roots roots = roots(oldSize, oldRoot, newSize, proof);
        if (!MerkleHash.equal(roots.oldRoot(), oldRoot)) {
            throw new ProofException("consistency proof from size " + oldSize + " to " + newSize + " leads to old root "
                    + MerkleHash.hex(roots.oldRoot()) + ", not " + MerkleHash.hex(oldRoot));
        }
        if (!MerkleHash.equal(roots.newRoot(), newRoot)) {
            throw new ProofException("consistency proof from size " + oldSize + " to " + newSize + " leads to new root "
                    + MerkleHash.hex(roots.newRoot()) + ", not " + MerkleHash.hex(newRoot));
        }
    }

    /**
     * The two roots a consistency proof leads to (RFC 9162 section 2.1.4.2, steps 1 to 6, without the final
     * comparisons): the root of the tree of {@code oldSize} leaves and the root of the tree of {@code newSize} leaves
     * that these hashes make. When the new root is a signed one, the hashes are bound to that tree, so an old root that
     * differs from a signed old root proves that the two signed trees cannot both be true.
     *
     * @param oldRoot the old tree's claimed root: the algorithm starts from it when {@code oldSize} is a power of two
     *                (the proof then leaves it out), so for such sizes the computed old root is that root
     * @throws ProofException when the proof has the wrong number of hashes (nothing is computed then)
     */
    public static Roots roots(long oldSize, byte[] oldRoot, long newSize, List<byte[]> proof) throws ProofException {
        MerkleHash.checkHash(oldRoot, "old root");
        if (oldSize <= 0 || newSize <= oldSize) {
            throw new ProofException("consistency proof roots need 0 < old size < new size, got " + oldSize + " and "
                    + newSize);
        }
        Proofs.checkHashes(proof, "consistency proof");
        int expected = expectedLength(oldSize, newSize);
        if (proof.size() != expected) {
            throw new ProofException("consistency proof from size " + oldSize + " to " + newSize + " must have "
                    + expected + " hashes, has " + proof.size());
        }
        List<byte[]> path = new ArrayList<>(proof.size() + 1);
        if (Long.bitCount(oldSize) == 1) {
            path.add(oldRoot);
        }
        path.addAll(proof);
        long fn = oldSize - 1;
        long sn = newSize - 1;
        while ((fn & 1) == 1) {
            fn >>>= 1;
            sn >>>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (int i = 1; i < path.size(); i++) {
            byte[] c = path.get(i);
            if (sn == 0) {
                throw new ProofException("consistency proof has more hashes than the tree has levels");
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = MerkleHash.nodeHash(c, fr);
                sr = MerkleHash.nodeHash(c, sr);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>>= 1;
                        sn >>>= 1;
                    }
                }
            } else {
                sr = MerkleHash.nodeHash(sr, c);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        if (sn != 0) {
            throw new ProofException("consistency proof has fewer hashes than the tree has levels");
        }
        return new Roots(fr.clone(), sr.clone());
    }

    /** The old and the new root a consistency proof leads to. */
    public record Roots(byte[] oldRoot, byte[] newRoot) {
        public Roots {
            MerkleHash.checkHash(oldRoot, "old root");
            MerkleHash.checkHash(newRoot, "new root");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConsistencyProof p && p.oldSize == oldSize && p.newSize == newSize
                && Proofs.sameHashes(p.hashes, hashes);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(oldSize) * 31 + Long.hashCode(newSize) * 17 + Proofs.hashCode(hashes);
    }

    @Override
    public String toString() {
        return "ConsistencyProof[oldSize=" + oldSize + ", newSize=" + newSize + ", hashes=" + Proofs.format(hashes)
                + "]";
    }
}
