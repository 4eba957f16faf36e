package dev.grove.tlog;

import java.util.ArrayList;
import java.util.List;

/**
 * A hash tile of a C2SP tlog-tiles log: 1 to 256 consecutive Merkle tree hashes of one tile level, concatenated (a full
 * tile is 8,192 bytes). At level 0 they are leaf hashes; at level L they are the roots of the full level L-1 tiles.
 */
public final class HashTile {
    private final byte[] data;

    private HashTile(byte[] data) {
        this.data = data;
    }

    /**
     * Parses tile bytes, expecting exactly {@code expectedWidth} hashes (the width its path promises).
     *
     * @throws TileFormatException when the length is not {@code 32 * expectedWidth}
     */
    public static HashTile parse(byte[] data, int expectedWidth) throws TileFormatException {
        if (expectedWidth < 1 || expectedWidth > TilePath.WIDTH) {
            throw new IllegalArgumentException("tile width must be 1 to 256, got " + expectedWidth);
        }
        if (data.length != expectedWidth * MerkleHash.SIZE) {
            throw new TileFormatException("hash tile has " + data.length + " bytes, expected " + expectedWidth
                    * MerkleHash.SIZE + " (" + expectedWidth + " hashes)");
        }
        return new HashTile(data.clone());
    }

    /** A tile of the given hashes (1 to 256 of them, 32 bytes each). */
    public static HashTile of(List<byte[]> hashes) {
        if (hashes.isEmpty() || hashes.size() > TilePath.WIDTH) {
            throw new IllegalArgumentException("a tile holds 1 to 256 hashes, got " + hashes.size());
        }
        byte[] data = new byte[hashes.size() * MerkleHash.SIZE];
        for (int i = 0; i < hashes.size(); i++) {
            MerkleHash.checkHash(hashes.get(i), "tile");
            System.arraycopy(hashes.get(i), 0, data, i * MerkleHash.SIZE, MerkleHash.SIZE);
        }
        return new HashTile(data);
    }

    /** Number of hashes in the tile. */
    public int width() {
        return data.length / MerkleHash.SIZE;
    }

    /** The i-th hash. */
    public byte[] hash(int i) {
        if (i < 0 || i >= width()) {
            throw new IndexOutOfBoundsException("hash " + i + " of a tile of width " + width());
        }
        byte[] h = new byte[MerkleHash.SIZE];
        System.arraycopy(data, i * MerkleHash.SIZE, h, 0, MerkleHash.SIZE);
        return h;
    }

    public List<byte[]> hashes() {
        List<byte[]> out = new ArrayList<>(width());
        for (int i = 0; i < width(); i++) {
            out.add(hash(i));
        }
        return out;
    }

    /**
     * The Merkle tree hash of hashes {@code [from, to)} of this tile, a complete aligned subtree within it
     * ({@code to - from} a power of two and {@code from} a multiple of it).
     */
    public byte[] subtreeHash(int from, int to) {
        int n = to - from;
        if (from < 0 || to > width() || n <= 0 || Integer.bitCount(n) != 1 || from % n != 0) {
            throw new IllegalArgumentException("[" + from + ", " + to + ") is not an aligned power-of-two range of a tile "
                    + "of width " + width());
        }
        if (n == 1) {
            return hash(from);
        }
        return MerkleHash.nodeHash(subtreeHash(from, from + n / 2), subtreeHash(from + n / 2, to));
    }

    /** The tile as served: the hashes concatenated. */
    public byte[] toBytes() {
        return data.clone();
    }
}
