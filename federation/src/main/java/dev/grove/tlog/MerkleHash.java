package dev.grove.tlog;

import dev.grove.crypto.Sha256Hasher;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 6962 / RFC 9162 section 2.1 Merkle tree hashing with SHA-256: {@code leaf = SHA-256(0x00 || entry)},
 * {@code node = SHA-256(0x01 || left || right)}, and the hash of the empty tree is SHA-256 of no bytes.
 */
public final class MerkleHash {
    /** Length of every hash in the tree. */
    public static final int SIZE = 32;

    private static final byte[] LEAF_PREFIX = {0x00};
    private static final byte[] NODE_PREFIX = {0x01};

    private MerkleHash() {
    }

    /** The leaf hash of one log entry: SHA-256(0x00 || entry). */
    public static byte[] leafHash(byte[] entry) {
        return new Sha256Hasher().update(LEAF_PREFIX).update(entry).digest().bytes();
    }

    /** The interior node hash: SHA-256(0x01 || left || right). */
    public static byte[] nodeHash(byte[] left, byte[] right) {
        checkHash(left, "left");
        checkHash(right, "right");
        return new Sha256Hasher().update(NODE_PREFIX).update(left).update(right).digest().bytes();
    }

    /** The root hash of the empty tree (RFC 9162: MTH({}) = SHA-256()). */
    public static byte[] emptyRoot() {
        return new Sha256Hasher().digest().bytes();
    }

    /** The root hash of a tree given all its leaf hashes, by the RFC 9162 definition of MTH; for tests and small trees. */
    public static byte[] rootFromLeaves(List<byte[]> leafHashes) {
        if (leafHashes.isEmpty()) {
            return emptyRoot();
        }
        for (byte[] h : leafHashes) {
            checkHash(h, "leaf");
        }
        return mth(leafHashes, 0, leafHashes.size());
    }

    /** The root hash of a tree given its entries (each hashed with {@link #leafHash}). */
    public static byte[] rootFromEntries(List<byte[]> entries) {
        List<byte[]> leaves = new ArrayList<>(entries.size());
        for (byte[] e : entries) {
            leaves.add(leafHash(e));
        }
        return rootFromLeaves(leaves);
    }

    private static byte[] mth(List<byte[]> leaves, int start, int end) {
        if (end - start == 1) {
            return leaves.get(start).clone();
        }
        int k = (int) largestPowerOfTwoBelow(end - start);
        return nodeHash(mth(leaves, start, start + k), mth(leaves, start + k, end));
    }

    /** The largest power of two strictly smaller than {@code n} (n at least 2): RFC 9162's split point k. */
    static long largestPowerOfTwoBelow(long n) {
        return Long.highestOneBit(n - 1);
    }

    static void checkHash(byte[] hash, String what) {
        if (hash == null || hash.length != SIZE) {
            throw new IllegalArgumentException(what + " hash must have 32 bytes, got "
                    + (hash == null ? "null" : hash.length));
        }
    }

    static boolean equal(byte[] a, byte[] b) {
        if (a.length != b.length) {
            return false;
        }
        int diff = 0;
        for (int i = 0; i < a.length; i++) {
            diff |= a[i] ^ b[i];
        }
        return diff == 0;
    }

    static String hex(byte[] bytes) {
        return dev.grove.crypto.Hex.encode(bytes);
    }
}
