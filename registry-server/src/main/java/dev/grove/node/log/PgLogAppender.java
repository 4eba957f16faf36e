package dev.grove.node.log;

import dev.grove.logentry.LogEntries;
import dev.grove.node.problem.TooLarge;
import dev.grove.tlog.MerkleHash;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.OptionalLong;

/**
 * {@link LogAppender} on {@code log_entries}: the insert of an unsequenced row (an id from a sequence, no index) in the
 * caller's transaction, and the {@link LogSequencer} for the index.
 */
final class PgLogAppender implements LogAppender {

    private static final String INSERT = "INSERT INTO log_entries (data, leaf_hash) VALUES ($1, $2) RETURNING id";

    private final LogSequencer sequencer;

    PgLogAppender(LogSequencer sequencer) {
        this.sequencer = sequencer;
    }

    @Override
    public Future<LogEntryId> append(SqlConnection tx, byte[] entry) {
        if (entry.length == 0) {
            return Future.failedFuture(new IllegalArgumentException("a log entry cannot be empty"));
        }
        if (entry.length > LogEntries.MAX_SIZE) {
            return Future.failedFuture(new TooLarge("the log entry recording this statement would be "
                    + entry.length + " bytes, but a log entry holds at most " + LogEntries.MAX_SIZE
                    + " bytes; make the signed documents smaller"));
        }
        byte[] leaf = MerkleHash.leafHash(entry);
        return tx.preparedQuery(INSERT).execute(Tuple.of(Buffer.buffer(entry), Buffer.buffer(leaf)))
                .map(rows -> new LogEntryId(rows.iterator().next().getLong(0)));
    }

    @Override
    public Future<OptionalLong> indexOf(LogEntryId entry) {
        return sequencer.indexOf(entry);
    }
}
