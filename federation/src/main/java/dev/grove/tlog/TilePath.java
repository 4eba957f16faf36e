package dev.grove.tlog;

import java.util.ArrayList;
import java.util.List;

/**
 * The path of a hash tile or an entry bundle in a C2SP tlog-tiles log (https://c2sp.org/tlog-tiles), relative to the log
 * prefix: {@code tile/<L>/<N>[.p/<W>]} for the tile at level L, and {@code tile/entries/<N>[.p/<W>]} for entry bundles.
 * N is written in zero-padded 3-digit groups, all but the last prefixed with {@code x} (index 1234067 is
 * {@code x001/x234/067}); the {@code .p/<W>} suffix marks a partial tile of width W (1 to 255).
 *
 * <p>Tiles have height 8: a full tile holds 256 hashes (8,192 bytes) and a full entry bundle 256 entries. {@link #parse}
 * accepts exactly what {@link #toString()} prints.
 *
 * @param level tile level 0 to 63, or {@link #ENTRIES} for an entry bundle
 * @param index tile index N within its level, at least 0
 * @param width number of hashes or entries, 1 to 256; 256 is a full tile
 */
public record TilePath(int level, long index, int width) {
    /** Tile height: each tile spans 8 levels of the Merkle tree. */
    public static final int HEIGHT = 8;
    /** Hashes in a full tile, entries in a full bundle. */
    public static final int WIDTH = 1 << HEIGHT;
    /** The {@link #level()} of entry bundles. */
    public static final int ENTRIES = -1;
    /** Highest hash tile level the spec allows. */
    public static final int MAX_LEVEL = 63;

    private static final String PREFIX = "tile/";
    private static final String ENTRIES_PREFIX = "tile/entries/";
    private static final int MAX_PATH_LENGTH = 128;

    public TilePath {
        if (level < ENTRIES || level > MAX_LEVEL) {
            throw new IllegalArgumentException("tile level must be -1 (entries) or 0 to 63, got " + level);
        }
        if (index < 0) {
            throw new IllegalArgumentException("tile index must not be negative, got " + index);
        }
        if (width < 1 || width > WIDTH) {
            throw new IllegalArgumentException("tile width must be 1 to 256, got " + width);
        }
    }

    /** The hash tile at {@code level} with index {@code index} and {@code width} hashes (256 for a full tile). */
    public static TilePath tile(int level, long index, int width) {
        if (level < 0) {
            throw new IllegalArgumentException("hash tile level must be 0 to 63, got " + level);
        }
        return new TilePath(level, index, width);
    }

    /** The entry bundle with index {@code index} and {@code width} entries (256 for a full bundle). */
    public static TilePath entryBundle(long index, int width) {
        return new TilePath(ENTRIES, index, width);
    }

    public boolean isEntryBundle() {
        return level == ENTRIES;
    }

    public boolean isPartial() {
        return width < WIDTH;
    }

    /** The same tile with all 256 hashes (or entries). */
    public TilePath full() {
        return new TilePath(level, index, WIDTH);
    }

    /**
     * Index of the first leaf (entry) the tile spans: {@code N * 256^(L+1)}; for entry bundles {@code N * 256}. Saturates at
     * {@link Long#MAX_VALUE} for tiles beyond any tree a long can count.
     */
    public long startLeaf() {
        int shift = HEIGHT * (Math.max(level, 0) + 1);
        if (shift >= 63 || index > (Long.MAX_VALUE >>> shift)) {
            return index == 0 ? 0 : Long.MAX_VALUE;
        }
        return index << shift;
    }

    /**
     * The width of the tile at {@code level} (or {@link #ENTRIES}) and {@code index} in a tree of {@code treeSize} leaves:
     * 256 for a full tile, {@code floor(treeSize / 256^level) mod 256} for the rightmost partial tile, and 0 when the tile
     * does not exist at that size.
     */
    public static int widthAt(int level, long index, long treeSize) {
        if (treeSize < 0 || index < 0) {
            throw new IllegalArgumentException("negative tree size " + treeSize + " or index " + index);
        }
        if (level < ENTRIES || level > MAX_LEVEL) {
            throw new IllegalArgumentException("tile level must be -1 (entries) or 0 to 63, got " + level);
        }
        int shift = HEIGHT * Math.max(level, 0);
        long hashes = shift >= 64 ? 0 : treeSize >>> shift;   // hashes present at this tile level
        long full = hashes >>> HEIGHT;                         // complete tiles
        if (index < full) {
            return WIDTH;
        }
        if (index == full) {
            return (int) (hashes & (WIDTH - 1));
        }
        return 0;
    }

    /**
     * The tile at {@code level} and {@code index} as it exists in a tree of {@code treeSize} leaves (partial if it is the
     * rightmost one).
     *
     * @throws IllegalArgumentException when the tree has no such tile (tlog-tiles: empty tiles are never served)
     */
    public static TilePath forTree(int level, long index, long treeSize) {
        int w = widthAt(level, index, treeSize);
        if (w == 0) {
            throw new IllegalArgumentException("a tree of size " + treeSize + " has no " + describe(level) + " with index "
                    + index);
        }
        return new TilePath(level, index, w);
    }

    /** The entry bundle holding entry {@code entryIndex} in a tree of {@code treeSize} entries. */
    public static TilePath entryBundleFor(long entryIndex, long treeSize) {
        if (entryIndex < 0 || entryIndex >= treeSize) {
            throw new IllegalArgumentException("entry " + entryIndex + " is not in a tree of size " + treeSize);
        }
        return forTree(ENTRIES, entryIndex >>> HEIGHT, treeSize);
    }

    /**
     * The hash tiles a log publishes when it grows from {@code oldSize} to {@code newSize}: at every level, the tiles
     * completed by the growth and the rightmost partial tile of the new size. Ordered by level, then index, like
     * {@code golang.org/x/mod/sumdb/tlog.NewTiles} (keeping only the widest of the partial tiles it lists). Entry bundles
     * follow the level-0 tiles one for one.
     */
    public static List<TilePath> newTiles(long oldSize, long newSize) {
        if (oldSize < 0 || newSize < oldSize) {
            throw new IllegalArgumentException("need 0 <= old size <= new size, got " + oldSize + " and " + newSize);
        }
        List<TilePath> tiles = new ArrayList<>();
        for (int level = 0; level <= 7 && (newSize >>> (HEIGHT * level)) > 0; level++) {
            long oldN = oldSize >>> (HEIGHT * level);
            long newN = newSize >>> (HEIGHT * level);
            for (long n = oldN >>> HEIGHT; n < newN >>> HEIGHT; n++) {
                tiles.add(new TilePath(level, n, WIDTH));
            }
            long n = newN >>> HEIGHT;
            int w = (int) (newN - (n << HEIGHT));
            if (w > 0) {
                tiles.add(new TilePath(level, n, w));
            }
        }
        return tiles;
    }

    /** The N path element(s) of a tile index: 1234067 is {@code x001/x234/067}. */
    public static String formatIndex(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("tile index must not be negative, got " + index);
        }
        StringBuilder sb = new StringBuilder();
        appendGroup(sb, index % 1000);
        long n = index / 1000;
        while (n > 0) {
            sb.insert(0, '/');
            StringBuilder g = new StringBuilder("x");
            appendGroup(g, n % 1000);
            sb.insert(0, g);
            n /= 1000;
        }
        return sb.toString();
    }

    private static void appendGroup(StringBuilder sb, long group) {
        if (group < 100) {
            sb.append('0');
        }
        if (group < 10) {
            sb.append('0');
        }
        sb.append(group);
    }

    /** The path relative to the log prefix, e.g. {@code tile/0/x001/x234/067.p/5} or {@code tile/entries/000}. */
    @Override
    public String toString() {
        String partial = width < WIDTH ? ".p/" + width : "";
        return (level == ENTRIES ? ENTRIES_PREFIX : PREFIX + level + "/") + formatIndex(index) + partial;
    }

    /**
     * Parses a path relative to the log prefix (no leading slash), accepting exactly what {@link #toString()} prints.
     *
     * @throws TileFormatException naming what is wrong
     */
    public static TilePath parse(String path) throws TileFormatException {
        if (path.length() > MAX_PATH_LENGTH) {
            throw new TileFormatException("tile path too long: " + path.length() + " characters");
        }
        if (!path.startsWith(PREFIX)) {
            throw new TileFormatException("tile path does not start with 'tile/': '" + path + "'");
        }
        String rest = path.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        if (slash < 0) {
            throw new TileFormatException("tile path has no tile index: '" + path + "'");
        }
        String levelText = rest.substring(0, slash);
        int level;
        if (levelText.equals("entries")) {
            level = ENTRIES;
        } else {
            long l = parseDecimal(levelText);
            if (l < 0 || l > MAX_LEVEL) {
                throw new TileFormatException("tile level must be a decimal 0 to 63 without leading zeros: '" + path
                        + "'");
            }
            level = (int) l;
        }
        String n = rest.substring(slash + 1);
        int width = WIDTH;
        int dotP = n.indexOf(".p/");
        if (dotP >= 0) {
            long w = parseDecimal(n.substring(dotP + 3));
            if (w < 1 || w >= WIDTH) {
                throw new TileFormatException("partial tile width must be a decimal 1 to 255 without leading zeros: '"
                        + path + "'");
            }
            width = (int) w;
            n = n.substring(0, dotP);
        }
        long index = parseIndex(n, path);
        return new TilePath(level, index, width);
    }

    private static long parseIndex(String n, String path) throws TileFormatException {
        List<String> groups = splitAll(n, '/');
        long index = 0;
        for (int i = 0; i < groups.size(); i++) {
            String g = groups.get(i);
            boolean last = i == groups.size() - 1;
            if (!last) {
                if (!g.startsWith("x")) {
                    throw new TileFormatException("tile index group " + (i + 1) + " must start with 'x': '" + path
                            + "'");
                }
                g = g.substring(1);
            }
            if (g.length() != 3 || !isDigits(g)) {
                throw new TileFormatException("tile index groups must be 3 digits: '" + path + "'");
            }
            if (i == 0 && groups.size() > 1 && g.equals("000")) {
                throw new TileFormatException("tile index has a leading zero group: '" + path + "'");
            }
            int v = Integer.parseInt(g);
            if (index > (Long.MAX_VALUE - v) / 1000) {
                throw new TileFormatException("tile index too large: '" + path + "'");
            }
            index = index * 1000 + v;
        }
        return index;
    }

    /** Splits at every separator, keeping empty parts (no regular expressions: this code also runs under TeaVM). */
    static List<String> splitAll(String s, char separator) {
        List<String> parts = new ArrayList<>();
        int from = 0;
        for (int i = s.indexOf(separator); i >= 0; i = s.indexOf(separator, from)) {
            parts.add(s.substring(from, i));
            from = i + 1;
        }
        parts.add(s.substring(from));
        return parts;
    }

    /** A decimal without sign or leading zeros, or -1. */
    private static long parseDecimal(String s) {
        if (s.isEmpty() || s.length() > 18 || !isDigits(s) || (s.length() > 1 && s.charAt(0) == '0')) {
            return -1;
        }
        return Long.parseLong(s);
    }

    private static boolean isDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static String describe(int level) {
        return level == ENTRIES ? "entry bundle" : "level " + level + " tile";
    }
}
