package dev.grove.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The small log that Go wrote as a static tlog-tiles directory (tlog/log: 1100 entries, tiles of height 8): bundles and
 * tiles parse, agree with each other, and proofs built from the tiles alone equal Go's.
 */
class TileLogTest {
    static final long SIZE = 1100;
    static final byte[] ROOT = rootFromCheckpoint();

    static byte[] rootFromCheckpoint() {
        String[] lines = Vectors.text("tlog/log/checkpoint").split("\n");
        return java.util.Base64.getDecoder().decode(lines[2]);
    }

    final Map<TilePath, Integer> reads = new HashMap<>();
    final HashSource tiles = HashSources.fromTiles(path -> {
        reads.merge(path, 1, Integer::sum);
        return Vectors.bytes("tlog/log/" + path);
    }, SIZE);

    @Test
    void bundlesHashToLevel0Tiles() throws Exception {
        List<byte[]> leaves = new ArrayList<>();
        for (long n = 0; n <= (SIZE - 1) / 256; n++) {
            TilePath bundlePath = TilePath.forTree(TilePath.ENTRIES, n, SIZE);
            TilePath tilePath = TilePath.forTree(0, n, SIZE);
            byte[] raw = Vectors.bytes("tlog/log/" + bundlePath);
            EntryBundle bundle = EntryBundle.parse(raw, bundlePath.width());
            HashTile tile = HashTile.parse(Vectors.bytes("tlog/log/" + tilePath), tilePath.width());
            assertThat(bundle.leafHashes()).containsExactlyElementsOf(tile.hashes());
            assertThat(EntryBundle.of(bundle.entries()).toBytes()).isEqualTo(raw);
            assertThat(HashTile.of(tile.hashes()).toBytes()).isEqualTo(Vectors.bytes("tlog/log/" + tilePath));
            leaves.addAll(tile.hashes());
        }
        assertThat(leaves).hasSize((int) SIZE);
        assertThat(MerkleHash.rootFromLeaves(leaves)).isEqualTo(ROOT);
    }

    @Test
    void level1TileHoldsRootsOfFullLevel0Tiles() throws Exception {
        HashTile level1 = HashTile.parse(Vectors.bytes("tlog/log/tile/1/000.p/4"), 4);
        for (int i = 0; i < 4; i++) {
            HashTile level0 = HashTile.parse(Vectors.bytes("tlog/log/" + TilePath.tile(0, i, 256)), 256);
            assertThat(level0.subtreeHash(0, 256)).isEqualTo(level1.hash(i));
        }
    }

    @Test
    void rootAndProofsFromTilesMatchGo() throws Exception {
        assertThat(tiles.rootHash(SIZE)).isEqualTo(ROOT);
        for (String[] r : Vectors.records("tlog/merkle.txt", "inclusion")) {
            if (Long.parseLong(r[1]) == SIZE) {
                long index = Long.parseLong(r[0]);
                assertThat(InclusionProof.generate(index, SIZE, tiles).hashes())
                        .containsExactlyElementsOf(Vectors.hexList(r[2]));
            }
        }
        int checked = 0;
        for (String[] r : Vectors.records("tlog/merkle.txt", "consistency")) {
            if (Long.parseLong(r[1]) == SIZE) {
                long m = Long.parseLong(r[0]);
                assertThat(ConsistencyProof.generate(m, SIZE, tiles).hashes()).as("from %d", m)
                        .containsExactlyElementsOf(Vectors.hexList(r[2]));
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(5);
        assertThat(reads.keySet()).allMatch(p -> p.level() <= 1)
                .contains(TilePath.tile(0, 4, 76), TilePath.tile(1, 0, 4));
    }

    @Test
    void tileSourceRefusesSubtreesOutsideTheTree() {
        assertThatThrownBy(() -> tiles.hash(2, 275)).isInstanceOf(ProofException.class)
                .hasMessage("no complete subtree at level 2 index 275 in a tree of 1100 leaves");
        HashSource truncated = HashSources.fromTiles(path -> new byte[31], SIZE);
        assertThatThrownBy(() -> truncated.hash(0, 0)).isInstanceOf(ProofException.class)
                .hasMessage("tile/0/000: hash tile has 31 bytes, expected 8192 (256 hashes)");
    }

    @Test
    void parse_truncatedLength() {
        assertThatThrownBy(() -> EntryBundle.parse(new byte[] {0, 1, 'a', 0}, 2))
                .isInstanceOf(TileFormatException.class)
                .hasMessage("entry bundle truncated: entry 1 has 1 byte of its 2-byte length");
    }

    @Test
    void parse_truncatedEntry() {
        assertThatThrownBy(() -> EntryBundle.parse(new byte[] {0, 5, 'a', 'b'}, 1))
                .isInstanceOf(TileFormatException.class)
                .hasMessage("entry bundle truncated: entry 0 declares 5 bytes, 2 remain");
    }

    @Test
    void parse_tooFewEntries() {
        assertThatThrownBy(() -> EntryBundle.parse(new byte[] {0, 0, 0, 1, 'x'}, 3))
                .isInstanceOf(TileFormatException.class).hasMessage("entry bundle has 2 entries, expected 3");
        assertThatThrownBy(() -> EntryBundle.parse(new byte[0], 1))
                .isInstanceOf(TileFormatException.class).hasMessage("entry bundle has 0 entries, expected 1");
    }

    @Test
    void parse_trailingBytes() {
        assertThatThrownBy(() -> EntryBundle.parse(new byte[] {0, 0, 0, 1, 'x'}, 1))
                .isInstanceOf(TileFormatException.class).hasMessage("entry bundle has 3 bytes after its 1 entries");
    }

    @Test
    void parse_wrongTileLength() {
        assertThatThrownBy(() -> HashTile.parse(new byte[64], 3))
                .isInstanceOf(TileFormatException.class).hasMessage("hash tile has 64 bytes, expected 96 (3 hashes)");
        assertThatThrownBy(() -> HashTile.parse(new byte[8193], 256))
                .isInstanceOf(TileFormatException.class)
                .hasMessage("hash tile has 8193 bytes, expected 8192 (256 hashes)");
    }

    @Test
    void bundleRoundTripsLargestAndEmptyEntries() throws Exception {
        byte[] big = new byte[EntryBundle.MAX_ENTRY_SIZE];
        big[0] = 7;
        EntryBundle b = EntryBundle.of(List.of(big, new byte[0]));
        byte[] raw = b.toBytes();
        assertThat(raw).hasSize(2 + 65535 + 2);
        assertThat(raw[0]).isEqualTo((byte) 0xFF);
        assertThat(raw[1]).isEqualTo((byte) 0xFF);
        assertThat(EntryBundle.parse(raw, 2).entries()).containsExactly(big, new byte[0]);
        assertThatThrownBy(() -> EntryBundle.of(List.of(new byte[65536])))
                .hasMessage("entry 0 has 65536 bytes, at most 65535 fit");
    }

    /** Random bytes never make the parsers throw anything but their declared exception. */
    @Test
    void fuzzBundlesAndPaths() {
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 20000; i++) {
            byte[] data = new byte[random.nextInt(40)];
            random.nextBytes(data);
            if (random.nextBoolean() && data.length > 1) {
                data[0] = 0;
                data[1] = (byte) random.nextInt(8);
            }
            try {
                EntryBundle.parse(data, 1 + random.nextInt(3));
            } catch (TileFormatException expected) {
                // declared
            }
            StringBuilder path = new StringBuilder("tile/");
            String alphabet = "0123456789x/.pentries";
            for (int j = random.nextInt(24); j > 0; j--) {
                path.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            try {
                TilePath p = TilePath.parse(path.toString());
                assertThat(p.toString()).isEqualTo(path.toString());
            } catch (TileFormatException expected) {
                // declared
            }
        }
    }
}
