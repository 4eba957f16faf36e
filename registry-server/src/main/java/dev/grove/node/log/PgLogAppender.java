package dev.grove.node.log;

import dev.grove.logentry.LogEntries;
import dev.grove.node.problem.TooLarge;
import dev.grove.tlog.MerkleHash;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * {@link LogAppender} on {@code log_entries}: an advisory lock held to the end of the caller's transaction, then
 * {@code max(idx) + 1}. The insert is a separate statement so that, under READ COMMITTED, its snapshot is taken after the
 * lock was granted and sees the previous holder's committed entry.
 */
final class PgLogAppender implements LogAppender {

    /** The advisory lock key of appends: "grove-lg" as a big-endian long. */
    static final long APPEND_LOCK = 0x67726f76652d6c67L;

    private static final String LOCK = "SELECT pg_advisory_xact_lock(" + APPEND_LOCK + ")";

    private static final String INSERT = """
            INSERT INTO log_entries (idx, data, leaf_hash)
            SELECT coalesce(max(idx) + 1, 0), $1, $2 FROM log_entries
            RETURNING idx""";

    @Override
    public Future<Long> append(SqlConnection tx, byte[] entry) {
        if (entry.length == 0) {
            return Future.failedFuture(new IllegalArgumentException("a log entry cannot be empty"));
        }
        if (entry.length > LogEntries.MAX_SIZE) {
            return Future.failedFuture(new TooLarge("the log entry recording this statement would be "
                    + entry.length + " bytes, but a log entry holds at most " + LogEntries.MAX_SIZE
                    + " bytes; make the signed documents smaller"));
        }
        byte[] leaf = MerkleHash.leafHash(entry);
        return tx.query(LOCK).execute()
                .compose(v -> tx.preparedQuery(INSERT).execute(Tuple.of(Buffer.buffer(entry), Buffer.buffer(leaf))))
                .map(rows -> rows.iterator().next().getLong(0));
    }
}
