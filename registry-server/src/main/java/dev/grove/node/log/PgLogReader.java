package dev.grove.node.log;

import dev.grove.note.Note;
import dev.grove.note.NoteException;
import dev.grove.note.NoteSignature;
import dev.grove.tlog.ConsistencyProof;
import dev.grove.tlog.EntryBundle;
import dev.grove.tlog.HashSource;
import dev.grove.tlog.HashSources;
import dev.grove.tlog.InclusionProof;
import dev.grove.tlog.MerkleHash;
import dev.grove.tlog.ProofException;
import dev.grove.tlog.TilePath;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LogReader} on the log tables. Proofs are computed from stored tiles ({@link HashSources#fromTiles}); every stored
 * tile is immutable, so tiles read are kept in a small LRU cache shared by the node's event loops.
 */
final class PgLogReader implements LogReader {

    private static final Logger LOG = LoggerFactory.getLogger(PgLogReader.class);
    private static final int CACHE_TILES = 2048;           // 16 MiB at most
    private static final int MAX_PROOF_PASSES = 64;

    static final String LATEST = "SELECT size, root, note FROM log_checkpoints ORDER BY size DESC LIMIT 1";

    /** For each wanted (level, idx, width): the first {@code width} hashes of the narrowest stored tile at least as wide. */
    static final String TILES = """
            SELECT w.level, w.idx, w.width, substring(t.hashes FROM 1 FOR 32 * w.width) AS hashes
              FROM unnest($1::int[], $2::bigint[], $3::int[]) AS w(level, idx, width)
             CROSS JOIN LATERAL (SELECT hashes FROM log_tiles s
                                  WHERE s.level = w.level AND s.idx = w.idx AND s.width >= w.width
                                  ORDER BY s.width LIMIT 1) t""";

    private static final String ENTRIES = "SELECT data FROM log_entries WHERE idx >= $1 AND idx < $2 ORDER BY idx";

    private final SqlClient client;
    private final CheckpointCosignatures cosignatures;
    private final Map<TilePath, byte[]> cache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<TilePath, byte[]> eldest) {
            return size() > CACHE_TILES;
        }
    };

    PgLogReader(SqlClient client, CheckpointCosignatures cosignatures) {
        this.client = client;
        this.cosignatures = cosignatures;
    }

    @Override
    public Future<Optional<LogCheckpoint>> checkpoint() {
        return client.query(LATEST).execute().compose(rows -> {
            if (rows.size() == 0) {
                return Future.succeededFuture(Optional.empty());
            }
            Row row = rows.iterator().next();
            long size = row.getLong("size");
            byte[] root = row.getBuffer("root").getBytes();
            String note = row.getString("note");
            return cosignatures.cosignatures(size, root)
                    .map(lines -> Optional.of(new LogCheckpoint(size, root, withCosignatures(note, lines))))
                    .recover(e -> {
                        LOG.warn("cannot read the cosignatures of checkpoint {}; serving it without: {}", size,
                                e.toString());
                        return Future.succeededFuture(Optional.of(new LogCheckpoint(size, root, note)));
                    });
        });
    }

    private static String withCosignatures(String note, List<NoteSignature> lines) {
        if (lines.isEmpty()) {
            return note;
        }
        try {
            Note n = Note.parse(note);
            for (NoteSignature line : lines) {
                n = n.withSignature(line);
            }
            return n.toString();
        } catch (NoteException e) {
            throw new IllegalStateException("stored checkpoint does not parse: " + e.getMessage(), e);
        }
    }

    /** The size of the latest checkpoint, 0 before the first. */
    private Future<Long> latestSize() {
        return client.query("SELECT coalesce(max(size), 0) FROM log_checkpoints").execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }

    @Override
    public Future<Optional<byte[]>> tile(TilePath path) {
        return latestSize().compose(size -> {
            if (path.isEntryBundle()) {
                long first = path.startLeaf();
                if (first > size - path.width()) {
                    return Future.succeededFuture(Optional.empty());
                }
                return client.preparedQuery(ENTRIES).execute(Tuple.of(first, first + path.width())).map(rows -> {
                    List<byte[]> entries = new ArrayList<>(rows.size());
                    rows.forEach(r -> entries.add(r.getBuffer("data").getBytes()));
                    return Optional.of(EntryBundle.of(entries).toBytes());
                });
            }
            if (TilePath.widthAt(path.level(), path.index(), size) < path.width()) {
                return Future.succeededFuture(Optional.empty());
            }
            return load(Set.of(path)).map(tiles -> Optional.ofNullable(tiles.get(path)));
        });
    }

    @Override
    public Future<Optional<InclusionProof>> inclusion(long index, long treeSize) {
        if (index < 0 || index >= treeSize) {
            return Future.failedFuture(new IllegalArgumentException("entry index " + index
                    + " is not in a tree of size " + treeSize));
        }
        return latestSize().compose(latest -> treeSize > latest ? Future.succeededFuture(Optional.empty())
                : withHashes(treeSize, hintFor(treeSize, index), source -> InclusionProof.generate(index, treeSize, source))
                .map(Optional::of));
    }

    @Override
    public Future<Optional<ConsistencyProof>> consistency(long from, long to) {
        if (from < 0 || to < from) {
            return Future.failedFuture(new IllegalArgumentException("a consistency proof needs 0 <= from <= to, got from "
                    + from + " to " + to));
        }
        return latestSize().compose(latest -> to > latest ? Future.succeededFuture(Optional.empty())
                : withHashes(to, hintFor(to, Math.max(from - 1, 0)), source -> ConsistencyProof.generate(from, to, source))
                .map(Optional::of));
    }

    @Override
    public Future<Optional<Included>> included(long index) {
        return checkpoint().compose(cp -> {
            if (cp.isEmpty() || cp.get().size() <= index) {
                return Future.succeededFuture(Optional.empty());
            }
            long size = cp.get().size();
            return withHashes(size, hintFor(size, index), source -> InclusionProof.generate(index, size, source))
                    .map(proof -> Optional.of(new Included(cp.get(), proof)));
        });
    }

    /** The tiles a proof about leaf {@code index} in a tree of {@code size} most likely reads: the leaf's and the edge's. */
    private static Set<TilePath> hintFor(long size, long index) {
        Set<TilePath> hint = new LinkedHashSet<>();
        for (int level = 0; level <= TilePath.MAX_LEVEL / TilePath.HEIGHT && (size >>> (TilePath.HEIGHT * level)) > 0;
             level++) {
            long n = size >>> (TilePath.HEIGHT * level);
            long own = (index >>> (TilePath.HEIGHT * level)) >>> TilePath.HEIGHT;
            long edge = n >>> TilePath.HEIGHT;
            for (long tile : new long[] {own, edge, Math.max(edge - 1, 0)}) {
                if (TilePath.widthAt(level, tile, size) > 0) {
                    hint.add(TilePath.forTree(level, tile, size));
                }
            }
        }
        return hint;
    }

    @FunctionalInterface
    interface ProofFunction<T> {
        T apply(HashSource source) throws ProofException;
    }

    /**
     * Runs {@code fn} over the tiles of the tree of {@code treeSize}: loads the hinted tiles, runs, and when {@code fn}
     * needed a tile that was not loaded, loads it and runs again.
     */
    private <T> Future<T> withHashes(long treeSize, Set<TilePath> hint, ProofFunction<T> fn) {
        return load(hint).compose(loaded -> attempt(treeSize, new HashMap<>(loaded), fn, 0));
    }

    private <T> Future<T> attempt(long treeSize, Map<TilePath, byte[]> loaded, ProofFunction<T> fn, int pass) {
        Set<TilePath> missing = new LinkedHashSet<>();
        HashSource source = HashSources.fromTiles(path -> {
            byte[] data = loaded.get(path);
            if (data == null) {
                missing.add(path);
                throw new ProofException("tile " + path + " not loaded");
            }
            return data;
        }, treeSize);
        try {
            return Future.succeededFuture(fn.apply(source));
        } catch (ProofException e) {
            if (missing.isEmpty() || pass >= MAX_PROOF_PASSES) {
                return Future.failedFuture(new IllegalStateException("cannot compute a proof in the tree of size "
                        + treeSize + " from the stored tiles: " + e.getMessage(), e));
            }
            return load(missing).compose(more -> {
                if (!more.keySet().containsAll(missing)) {
                    return Future.failedFuture(new IllegalStateException("stored tiles missing for tree size " + treeSize
                            + ": " + missing));
                }
                loaded.putAll(more);
                return attempt(treeSize, loaded, fn, pass + 1);
            });
        }
    }

    /** The tiles (hash tiles only), from the cache or the database; a tile the database lacks is left out. */
    Future<Map<TilePath, byte[]>> load(Set<TilePath> paths) {
        Map<TilePath, byte[]> found = new HashMap<>();
        List<TilePath> wanted = new ArrayList<>();
        synchronized (cache) {
            for (TilePath p : paths) {
                byte[] data = cache.get(p);
                if (data != null) {
                    found.put(p, data);
                } else {
                    wanted.add(p);
                }
            }
        }
        if (wanted.isEmpty()) {
            return Future.succeededFuture(found);
        }
        Integer[] levels = wanted.stream().map(TilePath::level).toArray(Integer[]::new);
        Long[] indices = wanted.stream().map(TilePath::index).toArray(Long[]::new);
        Integer[] widths = wanted.stream().map(TilePath::width).toArray(Integer[]::new);
        return client.preparedQuery(TILES).execute(Tuple.of(levels, indices, widths)).map(rows -> {
            for (Row row : rows) {
                TilePath p = TilePath.tile(row.getInteger("level"), row.getLong("idx"), row.getInteger("width"));
                Buffer hashes = row.getBuffer("hashes");
                if (hashes.length() != p.width() * MerkleHash.SIZE) {
                    continue; // a wider stored tile is always at least this long; never cache a short read
                }
                byte[] data = hashes.getBytes();
                found.put(p, data);
                synchronized (cache) {
                    cache.put(p, data);
                }
            }
            return found;
        });
    }
}
