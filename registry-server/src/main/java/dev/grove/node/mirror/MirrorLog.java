package dev.grove.node.mirror;

import dev.grove.checkpoint.CheckpointException;
import dev.grove.federation.CheckpointFollower;
import dev.grove.node.log.LogCheckpoint;
import dev.grove.node.log.LogReader;
import dev.grove.node.log.MirroredLogs;
import dev.grove.node.log.TileBuilder;
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
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The peers' logs as this mirror keeps them: the exact bytes of the entries it accepted, their hash tiles and the latest
 * verified checkpoint it holds every entry of ({@code mirror_entries}, {@code mirror_tiles}, {@code
 * mirrored_logs.tiles_size}, {@code log_size}, {@code log_note}): all a C2SP client needs to read the origin's log from the mirror.
 *
 * <p>The tiles are computed from the leaf hashes of the accepted entries ({@link TileBuilder}), not copied from the peer:
 * every entry was already checked against the peer's signed root, so the computed tiles are the peer's tiles byte for
 * byte, and nothing the peer (or anyone between) sends can make the mirror store a tile that is not of that tree. They
 * are written in the transaction that accepts the entries, so a restart resumes with tiles and entries in step.
 */
final class MirrorLog implements MirroredLogs {

    private static final int MAX_PROOF_PASSES = 16;

    private static final String PEER = """
            SELECT origin, tiles_size, checkpoint_size, checkpoint_root FROM mirrored_logs WHERE origin = $1""";
    private static final String SERVED = """
            SELECT log_size, log_note FROM mirrored_logs WHERE origin = $1 AND log_note IS NOT NULL""";

    /** For each wanted (level, idx, width): the first {@code width} hashes of the narrowest stored tile at least as wide. */
    private static final String TILES = """
            SELECT w.level, w.idx, w.width, substring(t.hashes FROM 1 FOR 32 * w.width) AS hashes
              FROM unnest($2::int[], $3::bigint[], $4::int[]) AS w(level, idx, width)
             CROSS JOIN LATERAL (SELECT hashes FROM mirror_tiles s
                                  WHERE s.origin = $1 AND s.level = w.level AND s.idx = w.idx AND s.width >= w.width
                                  ORDER BY s.width LIMIT 1) t""";
    private static final String DROP_NARROWER = """
            DELETE FROM mirror_tiles WHERE origin = $1 AND level = $2 AND idx = $3 AND width < $4""";
    private static final String INSERT_TILE = """
            INSERT INTO mirror_tiles (origin, level, idx, width, hashes) VALUES ($1, $2, $3, $4, $5)""";
    private static final String INSERT_ENTRY = "INSERT INTO mirror_entries (origin, idx, entry) VALUES ($1, $2, $3)";
    private static final String ENTRIES = """
            SELECT entry FROM mirror_entries WHERE origin = $1 AND idx >= $2 AND idx < $3 ORDER BY idx""";
    private static final String GROWN = "UPDATE mirrored_logs SET tiles_size = $2 WHERE origin = $1";
    private static final String COMPLETE = """
            UPDATE mirrored_logs SET tiles_size = $2, log_size = $2, log_note = checkpoint_note WHERE origin = $1""";

    private final SqlClient client;

    MirrorLog(SqlClient client) {
        this.client = client;
    }

    /**
     * Extends the stored tiles of the log {@code origin} from tree size {@code from} to {@code to} with the leaf hashes of
     * the entries accepted in {@code tx}; when {@code to} is the size of the peer's verified checkpoint, checks that the
     * tiles reproduce its root and makes it the checkpoint served. Does nothing for a peer whose earlier entries were
     * accepted without keeping tiles.
     *
     * @throws IllegalStateException (as the failure, rolling {@code tx} back) when the tiles do not reproduce the root
     */
    Future<Void> grow(SqlConnection tx, String origin, long from, long to, List<byte[]> leaves) {
        return tx.preparedQuery(PEER).execute(Tuple.of(origin)).compose(rows -> {
            Row peer = rows.iterator().next();
            Long tiled = peer.getLong("tiles_size");
            if (tiled == null || tiled != from) {
                return Future.succeededFuture();
            }
            Long verifiedSize = peer.getLong("checkpoint_size");
            boolean complete = verifiedSize != null && verifiedSize == to;
            return load(tx, origin, new LinkedHashSet<>(TileBuilder.rightEdge(from))).compose(old -> {
                Map<TilePath, byte[]> added;
                try {
                    added = TileBuilder.grow(from, to, old, leaves);
                    if (complete) {
                        Map<TilePath, byte[]> all = new HashMap<>(old);
                        all.putAll(added);
                        byte[] root = HashSources.fromTiles(reader(all), to).rootHash(to);
                        if (!MessageDigest.isEqual(root, peer.getBuffer("checkpoint_root").getBytes())) {
                            throw new IllegalStateException("the tiles of " + origin + " computed from its accepted "
                                    + "entries do not reproduce the root of its checkpoint " + to);
                        }
                    }
                } catch (ProofException | RuntimeException e) {
                    return Future.failedFuture(e instanceof IllegalStateException ? e
                            : new IllegalStateException("cannot compute the tiles of " + origin + " at size " + to + ": "
                            + e.getMessage(), e));
                }
                List<Tuple> drops = new ArrayList<>();
                List<Tuple> inserts = new ArrayList<>();
                added.forEach((p, data) -> {
                    drops.add(Tuple.of(origin, p.level(), p.index(), p.width()));
                    inserts.add(Tuple.of(origin, p.level(), p.index(), p.width(), Buffer.buffer(data)));
                });
                Future<?> written = inserts.isEmpty() ? Future.succeededFuture()
                        : tx.preparedQuery(DROP_NARROWER).executeBatch(drops)
                                .compose(v -> tx.preparedQuery(INSERT_TILE).executeBatch(inserts));
                return written.compose(v -> tx.preparedQuery(complete ? COMPLETE : GROWN).execute(Tuple.of(origin, to)))
                        .mapEmpty();
            });
        });
    }

    /** Keeps the exact bytes of the entries {@code from} on of {@code origin}'s log, accepted in {@code tx}. */
    Future<Void> keep(SqlConnection tx, String origin, long from, List<byte[]> entries) {
        List<Tuple> rows = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            rows.add(Tuple.of(origin, from + i, Buffer.buffer(entries.get(i))));
        }
        return rows.isEmpty() ? Future.succeededFuture()
                : tx.preparedQuery(INSERT_ENTRY).executeBatch(rows).mapEmpty();
    }

    /** The checkpoint of {@code origin} this mirror serves: the latest verified one it holds every entry and tile of. */
    Future<Optional<LogCheckpoint>> checkpoint(String origin) {
        return client.preparedQuery(SERVED).execute(Tuple.of(origin)).map(rows -> {
            if (rows.size() == 0) {
                return Optional.empty();
            }
            Row row = rows.iterator().next();
            String note = row.getString("log_note");
            try {
                return Optional.of(new LogCheckpoint(row.getLong("log_size"),
                        CheckpointFollower.parseUnverified(note).rootHash(), note));
            } catch (CheckpointException e) {
                throw new IllegalStateException("the stored checkpoint of " + origin + " does not parse", e);
            }
        });
    }

    /** A tile or bundle of a mirrored log as read: its bytes, or why there are none. */
    sealed interface Read {
        /** The bytes the origin serves at that path. */
        record Found(byte[] bytes) implements Read {
        }

        /** Not served: beyond the served checkpoint's tree, or (a bundle) entries accepted before their bytes were kept. */
        record Missing(String reason) implements Read {
        }
    }

    /**
     * A hash tile or entry bundle of {@code origin}'s log as the origin serves it, when the served checkpoint's tree
     * contains it (a partial tile of any width up to the current one). A bundle is rebuilt from the kept entries
     * ({@code EntryBundle.of(entries).toBytes()}: the format is deterministic, so the bytes are the origin's).
     */
    Future<Read> tile(String origin, TilePath path) {
        return checkpoint(origin).compose(cp -> {
            if (cp.isEmpty()) {
                return Future.succeededFuture(new Read.Missing("this node serves no log of " + origin));
            }
            long size = cp.get().size();
            if (TilePath.widthAt(path.level(), path.index(), size) < path.width()) {
                return Future.succeededFuture(new Read.Missing(path + " of " + origin + " is not in the tree of size "
                        + size + " this node serves (yet)"));
            }
            if (!path.isEntryBundle()) {
                return load(client, origin, Set.of(path)).map(tiles -> tiles.containsKey(path)
                        ? new Read.Found(tiles.get(path)) : new Read.Missing(path + " of " + origin + " is not kept"));
            }
            long first = path.index() * TilePath.WIDTH;
            return client.preparedQuery(ENTRIES).execute(Tuple.of(origin, first, first + path.width())).map(rows -> {
                List<byte[]> entries = new ArrayList<>(rows.size());
                for (Row row : rows) {
                    entries.add(row.getBuffer("entry").getBytes());
                }
                if (entries.size() != path.width()) {
                    return new Read.Missing(path + " of " + origin + ": this node accepted entries " + first + " to "
                            + (first + path.width() - 1) + " before it kept entry bytes, so it cannot serve their "
                            + "bundle (its hash tiles and checkpoint are served; a node following this log afresh "
                            + "serves it whole)");
                }
                return new Read.Found(EntryBundle.of(entries).toBytes());
            });
        });
    }

    @Override
    public Future<Optional<LogReader.Included>> included(String origin, long index) {
        return checkpoint(origin).compose(cp -> {
            if (cp.isEmpty() || index < 0 || index >= cp.get().size()) {
                return Future.succeededFuture(Optional.empty());
            }
            long size = cp.get().size();
            return prove(origin, size, new HashMap<>(), source -> InclusionProof.generate(index, size, source), 0)
                    .map(proof -> Optional.of(new LogReader.Included(cp.get(), proof)));
        });
    }

    /** A consistency proof computed from the stored tiles, and that tree's hash over the smaller size. */
    record Consistency(List<byte[]> hashes, byte[] oldTreeHash) {
    }

    /**
     * The RFC 9162 consistency proof from {@code from} to {@code to} in {@code origin}'s log as this mirror holds it
     * ({@code to} at most the served checkpoint's size), computed from the stored tiles: what shows whether an older
     * checkpoint the peer serves is part of the tree this mirror verified.
     */
    Future<Consistency> consistency(String origin, long from, long to) {
        return prove(origin, to, new HashMap<>(), source -> new Consistency(
                ConsistencyProof.generate(from, to, source).hashes(), source.subtreeHash(0, from)), 0);
    }

    @FunctionalInterface
    private interface ProofFunction<T> {
        T apply(HashSource source) throws ProofException;
    }

    /** Runs {@code fn} over the stored tiles of the tree of {@code size}, loading the tiles it asks for as it asks. */
    private <T> Future<T> prove(String origin, long size, Map<TilePath, byte[]> loaded, ProofFunction<T> fn, int pass) {
        Set<TilePath> missing = new LinkedHashSet<>();
        HashSource source = HashSources.fromTiles(path -> {
            byte[] data = loaded.get(path);
            if (data == null) {
                missing.add(path);
                throw new ProofException("tile " + path + " not loaded");
            }
            return data;
        }, size);
        try {
            return Future.succeededFuture(fn.apply(source));
        } catch (ProofException e) {
            if (missing.isEmpty() || pass >= MAX_PROOF_PASSES) {
                return Future.failedFuture(new IllegalStateException("cannot compute a proof in the tree of size " + size
                        + " of " + origin + " from the stored tiles: " + e.getMessage(), e));
            }
            return load(client, origin, missing).compose(more -> {
                if (!more.keySet().containsAll(missing)) {
                    return Future.failedFuture(new IllegalStateException("stored tiles of " + origin + " missing for "
                            + "tree size " + size + ": " + missing));
                }
                loaded.putAll(more);
                return prove(origin, size, loaded, fn, pass + 1);
            });
        }
    }

    /** The tiles (cut to the wanted width from the narrowest stored one at least as wide); a missing tile is left out. */
    private static Future<Map<TilePath, byte[]>> load(SqlClient client, String origin, Set<TilePath> paths) {
        if (paths.isEmpty()) {
            return Future.succeededFuture(Map.of());
        }
        List<TilePath> wanted = new ArrayList<>(paths);
        return client.preparedQuery(TILES).execute(Tuple.of(origin,
                wanted.stream().map(TilePath::level).toArray(Integer[]::new),
                wanted.stream().map(TilePath::index).toArray(Long[]::new),
                wanted.stream().map(TilePath::width).toArray(Integer[]::new))).map(rows -> {
                    Map<TilePath, byte[]> found = new HashMap<>();
                    for (Row row : rows) {
                        TilePath p = TilePath.tile(row.getInteger("level"), row.getLong("idx"), row.getInteger("width"));
                        Buffer hashes = row.getBuffer("hashes");
                        if (hashes.length() == p.width() * MerkleHash.SIZE) {
                            found.put(p, hashes.getBytes());
                        }
                    }
                    return found;
                });
    }

    private static HashSources.TileReader reader(Map<TilePath, byte[]> tiles) {
        return path -> {
            byte[] data = tiles.get(path);
            if (data == null) {
                throw new ProofException("the tile " + path + " is missing");
            }
            return data;
        };
    }
}
