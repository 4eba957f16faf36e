package dev.grove.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TilePathTest {

    @ParameterizedTest
    @CsvSource({
        "0, 1234067, 256, tile/0/x001/x234/067",
        "0, 1234067, 8, tile/0/x001/x234/067.p/8",
        "0, 0, 256, tile/0/000",
        "0, 999, 256, tile/0/999",
        "0, 1000, 256, tile/0/x001/000",
        "1, 5, 17, tile/1/005.p/17",
        "63, 0, 1, tile/63/000.p/1",
        "-1, 1234067, 256, tile/entries/x001/x234/067",
        "-1, 273, 112, tile/entries/273.p/112",
        "0, 9223372036854775807, 256, tile/0/x009/x223/x372/x036/x854/x775/807",
    })
    void formatsAndParsesSpecPaths(int level, long index, int width, String path) throws Exception {
        TilePath t = new TilePath(level, index, width);
        assertThat(t.toString()).isEqualTo(path);
        assertThat(TilePath.parse(path)).isEqualTo(t);
    }

    /** Every path Go's sumdb tlog.Tile.Path prints, with its "tile/8/" height element and "data" level mapped to C2SP. */
    @Test
    void matchesGoTilePaths() throws Exception {
        List<String[]> rows = Vectors.records("tlog/tilepaths.txt");
        assertThat(rows).hasSizeGreaterThan(900);
        for (String[] r : rows) {
            TilePath t = new TilePath(Integer.parseInt(r[0]), Long.parseLong(r[1]), Integer.parseInt(r[2]));
            assertThat(t.toString()).as("Go %s", r[3]).isEqualTo(r[4]);
            assertThat(TilePath.parse(r[4])).isEqualTo(t);
            String sumdb = r[3].replaceFirst("^tile/8/data/", "tile/entries/").replaceFirst("^tile/8/", "tile/");
            assertThat(sumdb).isEqualTo(r[4]);
        }
    }

    /** {@link TilePath#newTiles} against Go's tlog.NewTiles(8, old, new), widest partial tile kept. */
    @Test
    void newTilesMatchesGo() {
        List<String[]> rows = Vectors.records("tlog/newtiles.txt", "newtiles");
        assertThat(rows).hasSizeGreaterThan(10);
        for (String[] r : rows) {
            long oldSize = Long.parseLong(r[0]);
            long newSize = Long.parseLong(r[1]);
            List<String> expected = new ArrayList<>(Arrays.asList(r).subList(2, r.length));
            expected.removeIf(String::isEmpty);
            List<String> actual = TilePath.newTiles(oldSize, newSize).stream().map(TilePath::toString).toList();
            assertThat(actual).as("newTiles(%d, %d)", oldSize, newSize).isEqualTo(expected);
        }
    }

    /** The example of C2SP tlog-tiles, "Partial Tiles". */
    @Test
    void specExampleTreeOf70000() {
        assertThat(TilePath.widthAt(0, 272, 70000)).isEqualTo(256);
        assertThat(TilePath.forTree(0, 273, 70000)).hasToString("tile/0/273.p/112");
        assertThat(TilePath.widthAt(0, 274, 70000)).isZero();
        assertThat(TilePath.forTree(1, 0, 70000)).hasToString("tile/1/000");
        assertThat(TilePath.forTree(1, 1, 70000)).hasToString("tile/1/001.p/17");
        assertThat(TilePath.forTree(2, 0, 70000)).hasToString("tile/2/000.p/1");
        assertThat(TilePath.widthAt(3, 0, 70000)).isZero();
        assertThat(TilePath.newTiles(0, 70000)).filteredOn(TilePath::isPartial).map(TilePath::toString)
                .containsExactly("tile/0/273.p/112", "tile/1/001.p/17", "tile/2/000.p/1");
        assertThat(TilePath.newTiles(0, 70000)).filteredOn(t -> !t.isPartial()).hasSize(273 + 1);
        // "a tree of size 256 will be represented by a full level 0 tile and a partial level 1 tile of width 1"
        assertThat(TilePath.newTiles(0, 256)).map(TilePath::toString).containsExactly("tile/0/000", "tile/1/000.p/1");
    }

    @Test
    void entryBundleForEntry() {
        assertThat(TilePath.entryBundleFor(0, 1)).hasToString("tile/entries/000.p/1");
        assertThat(TilePath.entryBundleFor(255, 1100)).hasToString("tile/entries/000");
        assertThat(TilePath.entryBundleFor(1099, 1100)).hasToString("tile/entries/004.p/76");
        assertThat(TilePath.entryBundleFor(1234067L * 256, Long.MAX_VALUE)).hasToString("tile/entries/x001/x234/067");
        assertThatThrownBy(() -> TilePath.entryBundleFor(1100, 1100))
                .hasMessage("entry 1100 is not in a tree of size 1100");
        assertThatThrownBy(() -> TilePath.forTree(0, 5, 1100))
                .hasMessage("a tree of size 1100 has no level 0 tile with index 5");
        assertThat(TilePath.tile(1, 2, 256).startLeaf()).isEqualTo(2L * 65536);
        assertThat(TilePath.entryBundle(3, 5).startLeaf()).isEqualTo(768);
    }

    @Test
    void constructorChecksArguments() {
        assertThatThrownBy(() -> TilePath.tile(64, 0, 1)).hasMessage("tile level must be -1 (entries) or 0 to 63, got 64");
        assertThatThrownBy(() -> TilePath.tile(-1, 0, 1)).hasMessage("hash tile level must be 0 to 63, got -1");
        assertThatThrownBy(() -> TilePath.tile(0, -1, 1)).hasMessage("tile index must not be negative, got -1");
        assertThatThrownBy(() -> TilePath.tile(0, 0, 0)).hasMessage("tile width must be 1 to 256, got 0");
        assertThatThrownBy(() -> TilePath.tile(0, 0, 257)).hasMessage("tile width must be 1 to 256, got 257");
    }

    @ParameterizedTest(name = "parse_{0}")
    @CsvSource(delimiter = '|', value = {
        "notTile | tiles/0/000 | tile path does not start with 'tile/': 'tiles/0/000'",
        "leadingSlash | /tile/0/000 | tile path does not start with 'tile/': '/tile/0/000'",
        "noIndex | tile/0 | tile path has no tile index: 'tile/0'",
        "levelLeadingZero | tile/00/000 | tile level must be a decimal 0 to 63 without leading zeros: 'tile/00/000'",
        "levelTooHigh | tile/64/000 | tile level must be a decimal 0 to 63 without leading zeros: 'tile/64/000'",
        "levelNegative | tile/-1/000 | tile level must be a decimal 0 to 63 without leading zeros: 'tile/-1/000'",
        "levelData | tile/data/000 | tile level must be a decimal 0 to 63 without leading zeros: 'tile/data/000'",
        "sumdbHeight | tile/8/0/000 | tile index group 1 must start with 'x': 'tile/8/0/000'",
        "shortGroup | tile/0/67 | tile index groups must be 3 digits: 'tile/0/67'",
        "longGroup | tile/0/0067 | tile index groups must be 3 digits: 'tile/0/0067'",
        "lastGroupPrefixed | tile/0/x001/x234 | tile index groups must be 3 digits: 'tile/0/x001/x234'",
        "missingX | tile/0/001/234/067 | tile index group 1 must start with 'x': 'tile/0/001/234/067'",
        "leadingZeroGroup | tile/0/x000/067 | tile index has a leading zero group: 'tile/0/x000/067'",
        "nonDigit | tile/0/x00a/067 | tile index groups must be 3 digits: 'tile/0/x00a/067'",
        "emptyGroup | tile/0/x001//067 | tile index group 2 must start with 'x': 'tile/0/x001//067'",
        "trailingSlash | tile/0/067/ | tile index group 1 must start with 'x': 'tile/0/067/'",
        "widthZero | tile/0/000.p/0 | partial tile width must be a decimal 1 to 255 without leading zeros: 'tile/0/000.p/0'",
        "widthFull | tile/0/000.p/256 | partial tile width must be a decimal 1 to 255 without leading zeros: 'tile/0/000.p/256'",
        "widthLeadingZero | tile/0/000.p/05 | partial tile width must be a decimal 1 to 255 without leading zeros: 'tile/0/000.p/05'",
        "widthMissing | tile/0/000.p/ | partial tile width must be a decimal 1 to 255 without leading zeros: 'tile/0/000.p/'",
        "indexTooLarge | tile/0/x009/x223/x372/x036/x854/x775/808 | tile index too large: 'tile/0/x009/x223/x372/x036/x854/x775/808'",
    })
    void parse_rejects(String reason, String path, String message) {
        assertThatThrownBy(() -> TilePath.parse(path)).as(reason).isInstanceOf(TileFormatException.class)
                .hasMessage(message);
    }

    @Test
    void parse_tooLong() {
        String path = "tile/0/" + "x001/".repeat(40) + "000";
        assertThatThrownBy(() -> TilePath.parse(path)).isInstanceOf(TileFormatException.class)
                .hasMessage("tile path too long: " + path.length() + " characters");
    }
}
