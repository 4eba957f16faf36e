package dev.grove.node.log;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

/**
 * Appends entries to the node's log inside the caller's transaction, so that an entry and the statement it records are
 * committed together or not at all.
 */
@FunctionalInterface
public interface LogAppender {

    /**
     * Appends {@code entry} as the next entry of the log, in {@code tx}, and returns its index. The entry is durable once
     * {@code tx} commits, and gone (its index free again) if {@code tx} rolls back; it appears in a signed checkpoint after
     * the next integration round.
     *
     * <p>Indices are gapless and in commit order: the append takes a transaction-scoped lock that is held until
     * {@code tx} ends, so appends of one log are serialised. Append last, just before committing, to hold it briefly.
     *
     * @param tx    an open transaction of the caller (from {@code pool.withTransaction})
     * @param entry the entry bytes, 1 to 65,535 of them
     * @return the entry's index; fails with {@link dev.grove.node.problem.TooLarge} naming the size when the
     *     entry is larger than a log entry can be (the caller's transaction then rolls back)
     */
    Future<Long> append(SqlConnection tx, byte[] entry);
}
