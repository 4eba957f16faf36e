package dev.grove.tlog;

/**
 * Reads the hashes of complete, aligned subtrees of one log: the hash at {@code (level, index)} is the Merkle tree hash of
 * the {@code 2^level} leaves starting at leaf {@code index * 2^level}. Level 0 holds the leaf hashes. This is what a tile
 * log stores (tiles hold levels 0, 8, 16, ... and the levels between are rebuilt by hashing), and all that proof
 * generation needs: {@link #subtreeHash} builds any other range from these.
 */
@FunctionalInterface
public interface HashSource {
    /**
     * The hash of the complete subtree at {@code level} with index {@code index}. Callers only ask for subtrees that lie
     * entirely inside the tree they work on.
     *
     * @throws ProofException when the hash is not available (a missing tile, a storage failure)
     */
    byte[] hash(int level, long index) throws ProofException;

    /**
     * The Merkle tree hash MTH(D[start:end]) of any range whose left edge is aligned as in RFC 9162's recursion
     * ({@code start} a multiple of the largest power of two not above {@code end - start}); in particular every range
     * {@code [0, size)}. Reads at most about 2 log2(end - start) hashes.
     */
    default byte[] subtreeHash(long start, long end) throws ProofException {
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("empty or negative range [" + start + ", " + end + ")");
        }
        long n = end - start;
        if (Long.bitCount(n) == 1 && start % n == 0) {
            int level = Long.numberOfTrailingZeros(n);
            byte[] h = hash(level, start >>> level);
            MerkleHash.checkHash(h, "stored");
            return h;
        }
        long k = MerkleHash.largestPowerOfTwoBelow(n);
        return MerkleHash.nodeHash(subtreeHash(start, start + k), subtreeHash(start + k, end));
    }

    /** The root hash of the tree of the given size ({@link MerkleHash#emptyRoot()} for size 0). */
    default byte[] rootHash(long treeSize) throws ProofException {
        if (treeSize < 0) {
            throw new IllegalArgumentException("negative tree size " + treeSize);
        }
        return treeSize == 0 ? MerkleHash.emptyRoot() : subtreeHash(0, treeSize);
    }
}
