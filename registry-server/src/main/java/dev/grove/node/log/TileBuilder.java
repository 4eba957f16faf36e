package dev.grove.node.log;

import dev.grove.tlog.HashTile;
import dev.grove.tlog.MerkleHash;
import dev.grove.tlog.TilePath;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes the hash tiles a log writes when it grows ({@link TilePath#newTiles}), from the tiles on the right edge of the
 * old tree and the new leaf hashes only: at each level, the old rightmost partial tile is the prefix of the new tiles,
 * and the hashes that follow are the roots of the tiles one level below that the growth completed. Pure; no I/O. A
 * mirror builds its copy of a peer's tiles with it too.
 */
public final class TileBuilder {

    private TileBuilder() {
    }

    /**
     * The rightmost partial tile of each level of a tree of {@code size} leaves: the tiles a tree's root is computed from
     * (levels whose rightmost tile is full contribute no subtree to the root).
     */
    public static List<TilePath> rightEdge(long size) {
        List<TilePath> tiles = new ArrayList<>();
        for (int level = 0; level <= TilePath.MAX_LEVEL / TilePath.HEIGHT && (size >>> (TilePath.HEIGHT * level)) > 0;
             level++) {
            long n = size >>> (TilePath.HEIGHT * level);
            int width = (int) (n & (TilePath.WIDTH - 1));
            if (width > 0) {
                tiles.add(TilePath.tile(level, n >>> TilePath.HEIGHT, width));
            }
        }
        return tiles;
    }

    /**
     * The new tiles, in {@link TilePath#newTiles} order.
     *
     * @param oldTiles  at least the {@link #rightEdge} tiles of {@code oldSize}, by path
     * @param newLeaves the leaf hashes of entries {@code [oldSize, newSize)}
     * @throws IllegalStateException when a needed old tile is missing
     */
    public static Map<TilePath, byte[]> grow(long oldSize, long newSize, Map<TilePath, byte[]> oldTiles, List<byte[]> newLeaves) {
        if (oldSize < 0 || newSize < oldSize || newLeaves.size() != newSize - oldSize) {
            throw new IllegalArgumentException("growing from " + oldSize + " to " + newSize + " needs "
                    + (newSize - oldSize) + " leaf hashes, got " + newLeaves.size());
        }
        Map<TilePath, byte[]> out = new LinkedHashMap<>();
        List<byte[]> added = newLeaves;
        for (int level = 0; level <= TilePath.MAX_LEVEL / TilePath.HEIGHT; level++) {
            long oldN = oldSize >>> (TilePath.HEIGHT * level);
            long newN = newSize >>> (TilePath.HEIGHT * level);
            if (newN == oldN) {
                break; // this level and every level above are unchanged
            }
            long firstTile = oldN >>> TilePath.HEIGHT;
            int oldWidth = (int) (oldN & (TilePath.WIDTH - 1));
            List<byte[]> hashes = new ArrayList<>(oldWidth + added.size());
            if (oldWidth > 0) {
                TilePath edge = TilePath.tile(level, firstTile, oldWidth);
                byte[] data = oldTiles.get(edge);
                if (data == null) {
                    throw new IllegalStateException("the stored tile " + edge + " of tree size " + oldSize + " is missing");
                }
                for (int i = 0; i < oldWidth; i++) {
                    hashes.add(java.util.Arrays.copyOfRange(data, i * MerkleHash.SIZE, (i + 1) * MerkleHash.SIZE));
                }
            }
            hashes.addAll(added);
            if (hashes.size() != newN - (firstTile << TilePath.HEIGHT)) {
                throw new IllegalStateException("level " + level + ": " + hashes.size() + " hashes from tile " + firstTile
                        + ", expected " + (newN - (firstTile << TilePath.HEIGHT)));
            }
            List<byte[]> completed = new ArrayList<>();
            for (int from = 0; from < hashes.size(); from += TilePath.WIDTH) {
                List<byte[]> chunk = hashes.subList(from, Math.min(from + TilePath.WIDTH, hashes.size()));
                TilePath path = TilePath.tile(level, firstTile + from / TilePath.WIDTH, chunk.size());
                out.put(path, HashTile.of(chunk).toBytes());
                if (chunk.size() == TilePath.WIDTH) {
                    completed.add(MerkleHash.rootFromLeaves(chunk));
                }
            }
            added = completed;
        }
        return out;
    }
}
