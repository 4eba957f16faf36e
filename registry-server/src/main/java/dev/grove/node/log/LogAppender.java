package dev.grove.node.log;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.OptionalLong;

/**
 * Appends entries to the node's log inside the caller's transaction, so that an entry and the statement it records are
 * committed together or not at all; the entry's index is assigned after the commit, by the log's sequencer.
 */
public interface LogAppender {

    /**
     * Appends {@code entry} to the log, in {@code tx}, unsequenced, and returns its id. The entry is durable once
     * {@code tx} commits, and gone if {@code tx} rolls back (it never had an index, so the log has no gap); once committed,
     * the sequencer gives it the next free index (dense, in the order it finds committed entries), and it appears in a
     * signed checkpoint after the next integration round.
     *
     * <p>The append takes no lock shared with other appends: concurrent transactions commit independently.
     *
     * @param tx    an open transaction of the caller (from {@code pool.withTransaction})
     * @param entry the entry bytes, 1 to 65,535 of them
     * @return the entry's id; fails with {@link dev.grove.node.problem.TooLarge} naming the size when the
     *     entry is larger than a log entry can be (the caller's transaction then rolls back)
     */
    Future<LogEntryId> append(SqlConnection tx, byte[] entry);

    /**
     * The index of a committed entry, asking for a sequencing round now and waiting for it (or for another process's
     * round) at most a bounded time. Call after the appending transaction committed.
     *
     * @return the index, or empty when the entry was not sequenced within the bound (it is still durable, and will be)
     */
    Future<OptionalLong> indexOf(LogEntryId entry);
}
