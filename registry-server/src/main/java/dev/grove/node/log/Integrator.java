package dev.grove.node.log;

import dev.grove.checkpoint.CheckpointException;
import dev.grove.checkpoint.CheckpointVerifier;
import dev.grove.node.db.DatabaseErrors;
import dev.grove.tlog.HashSources;
import dev.grove.tlog.MerkleHash;
import dev.grove.tlog.ProofException;
import dev.grove.tlog.TilePath;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Integrates sequenced entries into the tree: every {@link LogSettings#interval()} it runs a {@link LogSequencer} round
 * (so that an entry whose process stopped before sequencing it is taken up too), checks whether entries were sequenced
 * since the latest checkpoint and, if so, in one transaction, writes the new hash tiles ({@link TilePath#newTiles}),
 * computes the new root, and stores a checkpoint signed with the log key. At most
 * {@link LogSettings#maxEntriesPerRound()} entries are integrated per round (a round then follows at once), which bounds
 * the hashing done on the event loop to a few milliseconds.
 *
 * <p>Only one process integrates at a time: a round runs under {@code pg_try_advisory_xact_lock}, and a process that does
 * not get the lock skips the round. Before extending the log, a round checks that the latest stored checkpoint verifies
 * with this process's key and that the stored tiles reproduce its root, so a process started with another key (or a
 * damaged tile table) stops the log instead of forking it.
 *
 * <p>On an empty log the first round signs the empty tree (size 0, root SHA-256 of nothing), so that a checkpoint is
 * always served.
 */
public final class Integrator extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(Integrator.class);

    /** The longest wait between two failed rounds. */
    static final long MAX_BACKOFF_MS = 10_000;

    /** The advisory lock key of integration rounds: "grove-in" as a big-endian long. */
    static final long INTEGRATE_LOCK = 0x67726f76652d696eL;

    private static final String TRY_LOCK = "SELECT pg_try_advisory_xact_lock(" + INTEGRATE_LOCK + ")";
    private static final String COUNT = "SELECT coalesce(max(idx) + 1, 0) FROM log_entries";
    private static final String LEAVES = "SELECT leaf_hash FROM log_entries WHERE idx >= $1 AND idx < $2 ORDER BY idx";
    private static final String INSERT_TILE = "INSERT INTO log_tiles (level, idx, width, hashes) VALUES ($1, $2, $3, $4)";
    private static final String INSERT_CHECKPOINT = "INSERT INTO log_checkpoints (size, root, note) VALUES ($1, $2, $3)";

    /**
     * What one round did.
     *
     * @param ran     false when another process held the integration lock
     * @param oldSize the size of the latest checkpoint before the round
     * @param newSize the size after it (equal when there was nothing to do)
     * @param more    true when entries are still waiting (the round hit its bound)
     */
    public record Round(boolean ran, long oldSize, long newSize, boolean more) {
    }

    private final Pool pool;
    private final LogKey key;
    private final LogSettings settings;
    private final LogSequencer sequencer;
    private volatile boolean stopped;
    private long timer = -1;
    private Future<Round> inFlight = Future.succeededFuture();
    /** Rounds failed in a row: the next one waits longer (up to {@link #MAX_BACKOFF_MS}), and only the first is logged. */
    private int failures;

    public Integrator(Pool pool, LogKey key, LogSettings settings, LogSequencer sequencer) {
        this.pool = pool;
        this.key = key;
        this.settings = settings;
        this.sequencer = sequencer;
    }

    @Override
    public Future<?> start() {
        schedule(0);
        return Future.succeededFuture();
    }

    /** Stops scheduling rounds and waits for the one in flight, if any. */
    @Override
    public Future<?> stop() {
        stopped = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        return inFlight.otherwiseEmpty();
    }

    private void schedule(long delayMillis) {
        if (stopped) {
            return;
        }
        timer = vertx.setTimer(Math.max(1, delayMillis), id -> {
            timer = -1;
            inFlight = integrateOnce().onComplete(ar -> {
                if (ar.failed()) {
                    failed(ar.cause());
                    schedule(backoff(settings.interval().toMillis(), failures));
                } else {
                    if (failures > 0) {
                        LOG.info("log integration resumed after {} failed round(s)", failures);
                        failures = 0;
                    }
                    schedule(ar.result().more() ? 0 : settings.interval().toMillis());
                }
            });
        });
    }

    /**
     * Logs the first failure of a run of failed rounds, once: a warning when the database is unavailable (the node's
     * routes say so too), an error otherwise (the log cannot grow until someone looks).
     */
    private void failed(Throwable cause) {
        failures++;
        if (failures > 1) {
            return;
        }
        if (DatabaseErrors.isUnavailable(cause)) {
            LOG.warn("log integration paused: the database is unavailable ({}); retrying with back-off",
                    DatabaseErrors.describe(cause));
        } else {
            LOG.error("log integration round failed, retrying with back-off: {}", cause.toString());
        }
    }

    /** The wait after {@code failures} failed rounds in a row: the interval, doubled for each, at most 10 s. */
    static long backoff(long interval, int failures) {
        long wait = interval;
        for (int i = 1; i < failures && wait < MAX_BACKOFF_MS; i++) {
            wait *= 2;
        }
        return Math.min(wait, MAX_BACKOFF_MS);
    }

    /**
     * Runs one round now (tests and benchmarks call it directly; the verticle runs it on its timer): a sequencing round,
     * then the integration of what is sequenced.
     */
    public Future<Round> integrateOnce() {
        return sequencer.round().compose(sequenced -> integrate().map(round -> sequenced.more() && !round.more()
                ? new Round(round.ran(), round.oldSize(), round.newSize(), true) : round));
    }

    private Future<Round> integrate() {
        return pool.withTransaction(tx -> tx.query(TRY_LOCK).execute().compose(locked -> {
            if (!locked.iterator().next().getBoolean(0)) {
                return Future.succeededFuture(new Round(false, -1, -1, false));
            }
            return tx.query(PgLogReader.LATEST).execute().compose(latest -> tx.query(COUNT).execute().compose(count -> {
                long entries = count.iterator().next().getLong(0);
                if (latest.size() == 0) {
                    long size = Math.min(entries, settings.maxEntriesPerRound());
                    return grow(tx, 0, MerkleHash.emptyRoot(), size).map(v -> new Round(true, 0, size, entries > size));
                }
                Row row = latest.iterator().next();
                long oldSize = row.getLong("size");
                if (entries <= oldSize) {
                    return Future.succeededFuture(new Round(true, oldSize, oldSize, false));
                }
                checkSignedByUs(row.getString("note"));
                long newSize = Math.min(entries, oldSize + settings.maxEntriesPerRound());
                return grow(tx, oldSize, row.getBuffer("root").getBytes(), newSize)
                        .map(v -> new Round(true, oldSize, newSize, entries > newSize));
            }));
        }));
    }

    /** Writes the tiles and the checkpoint of {@code newSize} (also the first, empty checkpoint when both sizes are 0). */
    private Future<Void> grow(SqlConnection tx, long oldSize, byte[] oldRoot, long newSize) {
        List<TilePath> edge = TileBuilder.rightEdge(oldSize);
        Future<Map<TilePath, byte[]>> oldTiles = edge.isEmpty() ? Future.succeededFuture(Map.of())
                : tx.preparedQuery(PgLogReader.TILES).execute(Tuple.of(
                        edge.stream().map(TilePath::level).toArray(Integer[]::new),
                        edge.stream().map(TilePath::index).toArray(Long[]::new),
                        edge.stream().map(TilePath::width).toArray(Integer[]::new))).map(rows -> {
                            Map<TilePath, byte[]> tiles = new HashMap<>();
                            for (Row r : rows) {
                                tiles.put(TilePath.tile(r.getInteger("level"), r.getLong("idx"), r.getInteger("width")),
                                        r.getBuffer("hashes").getBytes());
                            }
                            return tiles;
                        });
        Future<List<byte[]>> leaves = newSize == oldSize ? Future.succeededFuture(List.of())
                : tx.preparedQuery(LEAVES).execute(Tuple.of(oldSize, newSize)).map(rows -> {
                    List<byte[]> hashes = new ArrayList<>(rows.size());
                    rows.forEach(r -> hashes.add(r.getBuffer("leaf_hash").getBytes()));
                    return hashes;
                });
        return oldTiles.compose(old -> leaves.compose(newLeaves -> {
            byte[] root;
            Map<TilePath, byte[]> added;
            try {
                if (oldSize > 0 && !MessageDigest.isEqual(HashSources.fromTiles(reader(old), oldSize).rootHash(oldSize),
                        oldRoot)) {
                    throw new IllegalStateException("the stored tiles do not reproduce the root of checkpoint "
                            + oldSize + "; refusing to extend the log");
                }
                added = TileBuilder.grow(oldSize, newSize, old, newLeaves);
                Map<TilePath, byte[]> all = new HashMap<>(old);
                all.putAll(added);
                root = HashSources.fromTiles(reader(all), newSize).rootHash(newSize);
            } catch (ProofException e) {
                return Future.failedFuture(new IllegalStateException("cannot compute the root of tree size " + newSize
                        + ": " + e.getMessage(), e));
            } catch (RuntimeException e) {
                return Future.failedFuture(e);
            }
            List<Tuple> rows = new ArrayList<>(added.size());
            added.forEach((p, data) -> rows.add(Tuple.of(p.level(), p.index(), p.width(), Buffer.buffer(data))));
            String note = key.sign(newSize, root);
            Future<?> tiles = rows.isEmpty() ? Future.succeededFuture() : tx.preparedQuery(INSERT_TILE).executeBatch(rows);
            return tiles.compose(v -> tx.preparedQuery(INSERT_CHECKPOINT)
                            .execute(Tuple.of(newSize, Buffer.buffer(root), note)))
                    .onSuccess(v -> LOG.debug("log checkpoint {} ({} new entries, {} tiles)", newSize, newSize - oldSize,
                            added.size()))
                    .mapEmpty();
        }));
    }

    private static HashSources.TileReader reader(Map<TilePath, byte[]> tiles) {
        return path -> {
            byte[] data = tiles.get(path);
            if (data == null) {
                throw new ProofException("the stored tile " + path + " is missing");
            }
            return data;
        };
    }

    private void checkSignedByUs(String note) {
        try {
            CheckpointVerifier.forLog(key.verifier()).verify(note);
        } catch (CheckpointException e) {
            throw new IllegalStateException("the latest checkpoint of this log does not verify with this node's log key "
                    + key.verifier() + " (" + e.getMessage() + "); every process sharing the database needs the same "
                    + LogKeyFile.FILE_NAME + " and public URL. Refusing to extend the log.");
        }
    }
}
