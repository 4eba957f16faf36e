package dev.grove.node.log;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Gives committed, unsequenced log entries their indices. A round is one short transaction: under
 * {@code pg_try_advisory_xact_lock} (so one process sequences at a time; another one skips the round), one statement
 * numbers every unsequenced entry it sees from {@code max(idx) + 1} on, in id order. The indices are dense and each entry
 * gets exactly one: the advisory lock orders rounds, a round's statement sees every earlier round's commit (its snapshot
 * is taken after the lock was granted), and the unique index on {@code idx} refuses a duplicate. An entry committed while
 * a round runs is left for the next one; one whose process stopped before sequencing it is taken by the next round of
 * any process (the integrator runs one before every integration).
 *
 * <p>Concurrent requests for a round are folded: while a round runs, every request waits for the one round that starts
 * after it, so a burst of publishes costs a few rounds, not one each. Shared by the node's event loops.
 */
public final class LogSequencer {

    /** The advisory lock key of sequencing rounds: "grove-lg" as a big-endian long (formerly the append lock). */
    static final long SEQUENCE_LOCK = 0x67726f76652d6c67L;

    /** How long {@link #indexOf} waits for an entry's index by default. */
    static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);

    /** The longest pause between two looks at an entry another process is to sequence. */
    private static final long MAX_POLL_MS = 50;

    private static final String TRY_LOCK = "SELECT pg_try_advisory_xact_lock(" + SEQUENCE_LOCK + ")";

    /** Numbers up to $1 unsequenced entries after the highest index, in id order. */
    private static final String SEQUENCE = """
            WITH base AS (SELECT coalesce(max(idx) + 1, 0) AS next FROM log_entries),
                 pending AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS rank
                               FROM (SELECT id FROM log_entries WHERE idx IS NULL ORDER BY id LIMIT $1) p)
            UPDATE log_entries e SET idx = base.next + pending.rank
              FROM base, pending
             WHERE e.id = pending.id
            RETURNING e.id, e.idx""";

    private static final String INDEX_OF = "SELECT idx FROM log_entries WHERE id = $1";

    /**
     * What one round did.
     *
     * @param ran     false when another process held the sequencing lock
     * @param indices the ids this round sequenced, with their indices
     * @param more    true when the round hit its bound and entries may still wait
     */
    public record Round(boolean ran, Map<Long, Long> indices, boolean more) {
    }

    private final Vertx vertx;
    private final Pool pool;
    private final int maxPerRound;
    private final Duration wait;
    private final Object state = new Object();
    /** The round running now, or null; guarded by {@link #state}. */
    private Promise<Round> running;
    /** The round to start when {@link #running} ends, with everyone who asked meanwhile; guarded by {@link #state}. */
    private Promise<Round> queued;

    LogSequencer(Vertx vertx, Pool pool, int maxPerRound, Duration wait) {
        this.vertx = vertx;
        this.pool = pool;
        this.maxPerRound = maxPerRound;
        this.wait = wait;
    }

    /** A round that starts after this call (the one running now may have missed what the caller just committed). */
    public Future<Round> round() {
        Promise<Round> start = null;
        Future<Round> result;
        synchronized (state) {
            if (running == null) {
                running = Promise.promise();
                start = running;
                result = running.future();
            } else {
                if (queued == null) {
                    queued = Promise.promise();
                }
                result = queued.future();
            }
        }
        if (start != null) {
            run(start);
        }
        return result;
    }

    private void run(Promise<Round> round) {
        sequenceOnce().onComplete(ar -> {
            Promise<Round> next;
            synchronized (state) {
                next = queued;
                queued = null;
                running = next;
            }
            round.handle(ar);
            if (next != null) {
                run(next);
            }
        });
    }

    private Future<Round> sequenceOnce() {
        return pool.withTransaction(tx -> tx.query(TRY_LOCK).execute().compose(locked -> {
            if (!locked.iterator().next().getBoolean(0)) {
                return Future.succeededFuture(new Round(false, Map.of(), false));
            }
            return tx.preparedQuery(SEQUENCE).execute(Tuple.of(maxPerRound)).map(rows -> {
                Map<Long, Long> indices = new HashMap<>();
                for (Row row : rows) {
                    indices.put(row.getLong("id"), row.getLong("idx"));
                }
                return new Round(true, indices, indices.size() >= maxPerRound);
            });
        }));
    }

    /**
     * The index of a committed entry: asks for a round and waits for it; when that round did not number the entry
     * (another process holds the lock, or the round failed), looks it up and asks again, pausing a little longer each
     * time, for at most the sequencer's wait. Completes on the caller's context.
     */
    public Future<OptionalLong> indexOf(LogEntryId entry) {
        Context caller = vertx.getOrCreateContext();
        Promise<OptionalLong> answer = Promise.promise();
        attempt(entry, System.nanoTime() + wait.toNanos(), 1)
                .onComplete(ar -> caller.runOnContext(v -> answer.handle(ar)));
        return answer.future();
    }

    private Future<OptionalLong> attempt(LogEntryId entry, long deadline, long pauseMs) {
        return round().transform(ar -> {
            if (ar.succeeded()) {
                Long index = ar.result().indices().get(entry.value());
                if (index != null) {
                    return Future.succeededFuture(OptionalLong.of(index));
                }
            }
            return lookUp(entry).transform(found -> {
                if (found.succeeded() && found.result().isPresent()) {
                    return Future.succeededFuture(found.result());
                }
                if (System.nanoTime() >= deadline) {
                    return Future.succeededFuture(OptionalLong.empty());
                }
                Promise<Void> paused = Promise.promise();
                vertx.setTimer(pauseMs, id -> paused.complete());
                return paused.future().compose(v -> attempt(entry, deadline, Math.min(pauseMs * 2, MAX_POLL_MS)));
            });
        });
    }

    private Future<OptionalLong> lookUp(LogEntryId entry) {
        return pool.preparedQuery(INDEX_OF).execute(Tuple.of(entry.value())).map(rows -> {
            if (rows.size() == 0) {
                return OptionalLong.empty();
            }
            Long index = rows.iterator().next().getLong(0);
            return index == null ? OptionalLong.empty() : OptionalLong.of(index);
        });
    }
}
