package dev.grove.federation;

import dev.grove.tlog.EntryBundle;
import dev.grove.tlog.HashSource;
import dev.grove.tlog.HashSources;
import dev.grove.tlog.HashTile;
import dev.grove.tlog.MerkleHash;
import dev.grove.tlog.ProofException;
import dev.grove.tlog.TileFormatException;
import dev.grove.tlog.TilePath;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Checks that the entries of one bundle are the leaves the checkpoint commits to (c2sp.org/tlog-tiles): each entry's
 * RFC 9162 leaf hash must be the matching hash of the level-0 tile, and the tree built from those leaves and the peer's
 * other hash tiles must hash to the checkpoint's root. The second step binds the tiles to the signed root, so a peer
 * cannot serve entries and tiles that merely agree with each other.
 *
 * <p>Bytes that do not match are a {@link Fault} ({@code not-in-tree}), never misbehaviour: they may have been changed on
 * the way, and they prove nothing against the log's key holder (what it signed is only the root).
 *
 * <p>Memory is one bundle, one level-0 tile and the few higher tiles the root needs: the hashes of subtrees that hold
 * none of the bundle's leaves come from {@code tiles}; the rest are computed from the bundle.
 */
public final class EntryBundleCheck {
    private EntryBundleCheck() {
    }

    /**
     * @param checkpoint  the verified checkpoint the bundle must be part of
     * @param bundleIndex the bundle's index N (it holds entries from {@code N * 256})
     * @param bundleBytes the bundle as served
     * @param tile0Bytes  the level-0 hash tile with the same index, as served
     * @param tiles       the peer's other hash tiles; may throw {@link ProofException} for a tile not fetched yet (the
     *                    caller fetches it and calls again)
     * @return the parsed bundle
     * @throws FaultException NOT_IN_TREE (also for bytes that are not a bundle or tile)
     * @throws ProofException from {@code tiles}
     */
    public static EntryBundle verify(VerifiedCheckpoint checkpoint, long bundleIndex, byte[] bundleBytes,
                                     byte[] tile0Bytes, HashSources.TileReader tiles)
            throws FaultException, ProofException {
        long size = checkpoint.size();
        int width = TilePath.widthAt(TilePath.ENTRIES, bundleIndex, size);
        if (width == 0) {
            throw new IllegalArgumentException("a tree of " + size + " entries has no bundle " + bundleIndex);
        }
        TilePath bundlePath = TilePath.entryBundle(bundleIndex, width);
        TilePath tilePath = TilePath.tile(0, bundleIndex, width);
        EntryBundle bundle;
        HashTile tile;
        try {
            bundle = EntryBundle.parse(bundleBytes, width);
        } catch (TileFormatException e) {
            throw FaultException.of(Fault.Kind.NOT_IN_TREE, bundlePath + " at tree size " + size
                    + " is not an entry bundle of " + width + " entries: " + e.getMessage());
        }
        try {
            tile = HashTile.parse(tile0Bytes, width);
        } catch (TileFormatException e) {
            throw FaultException.of(Fault.Kind.NOT_IN_TREE, tilePath + " at tree size " + size
                    + " is not a hash tile: " + e.getMessage());
        }
        long first = bundleIndex * TilePath.WIDTH;
        List<byte[]> leaves = bundle.leafHashes();
        for (int i = 0; i < width; i++) {
            if (!Arrays.equals(leaves.get(i), tile.hash(i))) {
                throw FaultException.of(Fault.Kind.NOT_IN_TREE, "entry " + (first + i) + " of " + bundlePath
                        + " has leaf hash " + b64(leaves.get(i)) + " but " + tilePath + " holds " + b64(tile.hash(i)));
            }
        }
        HashSource peer = HashSources.fromTiles(tiles, size);
        long end = first + width;
        HashSource overlay = new HashSource() {
            @Override
            public byte[] hash(int level, long index) throws ProofException {
                long start = index << level;
                long stop = (index + 1) << level;
                if (stop <= first || start >= end) {
                    return peer.hash(level, index);
                }
                if (level == 0) {
                    return leaves.get((int) (start - first));
                }
                return MerkleHash.nodeHash(hash(level - 1, 2 * index), hash(level - 1, 2 * index + 1));
            }
        };
        byte[] root = overlay.rootHash(size);
        if (!Arrays.equals(root, checkpoint.rootHash())) {
            throw FaultException.of(Fault.Kind.NOT_IN_TREE, "entries " + first + ".." + (end - 1) + " of "
                    + bundlePath + " and the peer's hash tiles give root " + b64(root) + ", but the checkpoint of size "
                    + size + " has root " + b64(checkpoint.rootHash()));
        }
        return bundle;
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
