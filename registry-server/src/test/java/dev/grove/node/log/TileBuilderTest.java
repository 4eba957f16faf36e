package dev.grove.node.log;

import dev.grove.tlog.HashSource;
import dev.grove.tlog.HashSources;
import dev.grove.tlog.HashTile;
import dev.grove.tlog.MerkleHash;
import dev.grove.tlog.TilePath;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Growing the tiles round by round gives the tiles and roots computed from all leaves at once. */
class TileBuilderTest {

    private static List<byte[]> leaves(int n) {
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(MerkleHash.leafHash(ByteBuffer.allocate(4).putInt(i).array()));
        }
        return out;
    }

    /** The tile at {@code path} computed from every leaf (the reference). */
    private static byte[] reference(HashSource all, TilePath path) throws Exception {
        List<byte[]> hashes = new ArrayList<>();
        for (int i = 0; i < path.width(); i++) {
            hashes.add(all.hash(TilePath.HEIGHT * path.level(), path.index() * TilePath.WIDTH + i));
        }
        return HashTile.of(hashes).toBytes();
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "255, 1", "256, 1", "1, 7", "200, 13", "1000, 5", "3, 97", "600, 1", "70000, 4096", "66000, 1000"})
    void roundsOfGrowthMatchTheWholeTree(int total, int step) throws Exception {
        List<byte[]> leaves = leaves(total);
        HashSource all = HashSources.fromLeafHashes(leaves);
        Map<TilePath, byte[]> stored = new HashMap<>();
        long size = 0;
        while (size < total) {
            long next = Math.min(total, size + step);
            Map<TilePath, byte[]> edge = new HashMap<>();
            for (TilePath p : TileBuilder.rightEdge(size)) {
                assertThat(stored).containsKey(p);
                edge.put(p, stored.get(p));
            }
            Map<TilePath, byte[]> added = TileBuilder.grow(size, next, edge,
                    leaves.subList((int) size, (int) next));
            // the tiles newTiles lists, less the rightmost tiles of levels the growth did not reach (already stored)
            for (TilePath p : TilePath.newTiles(size, next)) {
                assertThat(added.containsKey(p) || stored.containsKey(p)).as(p.toString()).isTrue();
            }
            assertThat(TilePath.newTiles(size, next)).containsAll(added.keySet());
            for (var e : added.entrySet()) {
                assertThat(e.getValue()).as(e.getKey().toString()).isEqualTo(reference(all, e.getKey()));
            }
            stored.putAll(added);
            long s = next;
            Map<TilePath, byte[]> forRoot = new HashMap<>(edge);
            forRoot.putAll(added);
            assertThat(HashSources.fromTiles(forRoot::get, s).rootHash(s))
                    .isEqualTo(MerkleHash.rootFromLeaves(leaves.subList(0, (int) s)));
            size = next;
        }
    }
}
