package dev.grove.tlog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An entry bundle of a C2SP tlog-tiles log: 1 to 256 consecutive log entries, each as a big-endian uint16 length and then
 * that many bytes. Entry i of the bundle hashes (RFC 9162 leaf hash) to hash i of the matching level-0 tile.
 */
public final class EntryBundle {
    /** Largest entry a bundle can hold: the length prefix is a uint16. */
    public static final int MAX_ENTRY_SIZE = 0xFFFF;

    private final List<byte[]> entries;

    private EntryBundle(List<byte[]> entries) {
        this.entries = entries;
    }

    /**
     * Parses a bundle that must hold exactly {@code expectedCount} entries (the width of its path), refusing truncated data
     * and trailing bytes.
     *
     * @throws TileFormatException naming the entry where the data went wrong
     */
    public static EntryBundle parse(byte[] data, int expectedCount) throws TileFormatException {
        if (expectedCount < 1 || expectedCount > TilePath.WIDTH) {
            throw new IllegalArgumentException("a bundle holds 1 to 256 entries, got " + expectedCount);
        }
        List<byte[]> entries = new ArrayList<>(expectedCount);
        int pos = 0;
        while (pos < data.length) {
            if (entries.size() == expectedCount) {
                throw new TileFormatException("entry bundle has " + (data.length - pos) + " bytes after its "
                        + expectedCount + " entries");
            }
            if (data.length - pos < 2) {
                throw new TileFormatException("entry bundle truncated: entry " + entries.size()
                        + " has 1 byte of its 2-byte length");
            }
            int length = ((data[pos] & 0xFF) << 8) | (data[pos + 1] & 0xFF);
            pos += 2;
            if (data.length - pos < length) {
                throw new TileFormatException("entry bundle truncated: entry " + entries.size() + " declares " + length
                        + " bytes, " + (data.length - pos) + " remain");
            }
            byte[] e = new byte[length];
            System.arraycopy(data, pos, e, 0, length);
            entries.add(e);
            pos += length;
        }
        if (entries.size() != expectedCount) {
            throw new TileFormatException("entry bundle has " + entries.size() + " entries, expected " + expectedCount);
        }
        return new EntryBundle(Collections.unmodifiableList(entries));
    }

    /** A bundle of the given entries (1 to 256, each at most 65,535 bytes). */
    public static EntryBundle of(List<byte[]> entries) {
        if (entries.isEmpty() || entries.size() > TilePath.WIDTH) {
            throw new IllegalArgumentException("a bundle holds 1 to 256 entries, got " + entries.size());
        }
        List<byte[]> copy = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            byte[] e = entries.get(i);
            if (e.length > MAX_ENTRY_SIZE) {
                throw new IllegalArgumentException("entry " + i + " has " + e.length + " bytes, at most 65535 fit");
            }
            copy.add(e.clone());
        }
        return new EntryBundle(Collections.unmodifiableList(copy));
    }

    public int size() {
        return entries.size();
    }

    /** A copy of entry i. */
    public byte[] entry(int i) {
        return entries.get(i).clone();
    }

    /** Copies of all entries, in order. */
    public List<byte[]> entries() {
        List<byte[]> out = new ArrayList<>(entries.size());
        for (byte[] e : entries) {
            out.add(e.clone());
        }
        return out;
    }

    /** The RFC 9162 leaf hashes of the entries: what the matching level-0 tile must hold. */
    public List<byte[]> leafHashes() {
        List<byte[]> out = new ArrayList<>(entries.size());
        for (byte[] e : entries) {
            out.add(MerkleHash.leafHash(e));
        }
        return out;
    }

    /** The bundle as served. */
    public byte[] toBytes() {
        int total = 0;
        for (byte[] e : entries) {
            total += 2 + e.length;
        }
        byte[] out = new byte[total];
        int pos = 0;
        for (byte[] e : entries) {
            out[pos] = (byte) (e.length >>> 8);
            out[pos + 1] = (byte) e.length;
            System.arraycopy(e, 0, out, pos + 2, e.length);
            pos += 2 + e.length;
        }
        return out;
    }
}
