package dev.grove.tlog;

import java.util.ArrayList;
import java.util.List;

/** Factories for {@link HashSource}. */
public final class HashSources {
    private HashSources() {
    }

    /**
     * A source over leaf hashes held in memory: every level is computed and kept, so each read is a lookup. For tests and
     * small trees (the node's own log reads hashes from its database instead).
     */
    public static HashSource fromLeafHashes(List<byte[]> leafHashes) {
        List<List<byte[]>> levels = new ArrayList<>();
        List<byte[]> level = new ArrayList<>(leafHashes.size());
        for (byte[] h : leafHashes) {
            MerkleHash.checkHash(h, "leaf");
            level.add(h.clone());
        }
        while (!level.isEmpty()) {
            levels.add(level);
            List<byte[]> up = new ArrayList<>(level.size() / 2);
            for (int i = 0; i + 1 < level.size(); i += 2) {
                up.add(MerkleHash.nodeHash(level.get(i), level.get(i + 1)));
            }
            level = up;
        }
        return (lvl, index) -> {
            if (lvl < 0 || lvl >= levels.size() || index < 0 || index >= levels.get(lvl).size()) {
                throw new ProofException("no complete subtree at level " + lvl + " index " + index + " in a tree of "
                        + leafHashes.size() + " leaves");
            }
            return levels.get(lvl).get((int) index).clone();
        };
    }

    /**
     * A source reading hash tiles of a tlog-tiles log whose tree has {@code treeSize} leaves: the hash at (level, index) is
     * rebuilt from the tile at level {@code level / 8}, using the partial tile of that tree size where the subtree lies in
     * the rightmost tile. Tiles are read through {@code tiles} each time they are needed; wrap it in a cache as fits.
     */
    public static HashSource fromTiles(TileReader tiles, long treeSize) {
        if (treeSize < 0) {
            throw new IllegalArgumentException("negative tree size " + treeSize);
        }
        return (level, index) -> {
            if (level < 0 || level > 62 || index < 0 || index >= (treeSize >>> level)) {
                throw new ProofException("no complete subtree at level " + level + " index " + index + " in a tree of "
                        + treeSize + " leaves");
            }
            int tileLevel = level / TilePath.HEIGHT;
            int within = level % TilePath.HEIGHT;
            long first = index << within;                    // first hash of the tile level covered by the subtree
            long tileIndex = first >>> TilePath.HEIGHT;
            int offset = (int) (first & (TilePath.WIDTH - 1));
            int count = 1 << within;
            TilePath path = TilePath.forTree(tileLevel, tileIndex, treeSize);
            byte[] data = tiles.readTile(path);
            HashTile tile;
            try {
                tile = HashTile.parse(data, path.width());
            } catch (TileFormatException e) {
                throw new ProofException(path + ": " + e.getMessage(), e);
            }
            if (offset + count > tile.width()) {
                throw new ProofException(path + " has " + tile.width() + " hashes, needed " + (offset + count));
            }
            return tile.subtreeHash(offset, offset + count);
        };
    }

    /** Reads the bytes of one hash tile (for example over HTTP, or from a directory). */
    @FunctionalInterface
    public interface TileReader {
        /** @throws ProofException when the tile cannot be read */
        byte[] readTile(TilePath path) throws ProofException;
    }
}
