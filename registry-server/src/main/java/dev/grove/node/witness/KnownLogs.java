package dev.grove.node.witness;

import dev.grove.note.NoteVerifier;
import dev.grove.note.NoteException;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The logs a witness cosigns: for an origin line, the log's Ed25519 (type 0x01) key. A witness answers 404 for an origin
 * it does not know, whatever the checkpoint's signatures.
 */
@FunctionalInterface
public interface KnownLogs {

    /** The log key trusted for this origin, or empty when the origin is unknown. */
    Future<Optional<NoteVerifier>> logKey(String origin);

    /** This source, then {@code other} for the origins this one does not know. */
    default KnownLogs or(KnownLogs other) {
        return origin -> logKey(origin).compose(key -> key.isPresent() ? Future.succeededFuture(key)
                : other.logKey(origin));
    }

    /** Fixed logs, each with the origin its key is named after (Grove's convention: a log key is named like its origin). */
    static KnownLogs of(List<NoteVerifier> keys) {
        Map<String, NoteVerifier> byOrigin = new LinkedHashMap<>();
        for (NoteVerifier key : keys) {
            if (key.type() != NoteVerifier.ED25519) {
                throw new IllegalArgumentException("a log key must be an Ed25519 (type 0x01) key, got " + key);
            }
            if (byOrigin.putIfAbsent(key.name(), key) != null) {
                throw new IllegalArgumentException("two keys for log origin " + key.name());
            }
        }
        return origin -> Future.succeededFuture(Optional.ofNullable(byOrigin.get(origin)));
    }

    /**
     * The logs of the peers this node follows and trusts (the mirror's {@code mirrored_logs} table): their pinned log keys. A
     * quarantined peer is not witnessed, nor one whose key is not pinned yet.
     */
    static KnownLogs followedPeers(Pool pool) {
        return origin -> pool.preparedQuery("SELECT log_key FROM mirrored_logs WHERE origin = $1"
                        + " AND status = 'trusted'").execute(Tuple.of(origin))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.<NoteVerifier>empty();
                    }
                    String key = rows.iterator().next().getString(0);
                    try {
                        NoteVerifier v = NoteVerifier.parse(key);
                        return v.type() == NoteVerifier.ED25519 && v.name().equals(origin) ? Optional.of(v)
                                : Optional.<NoteVerifier>empty();
                    } catch (NoteException e) {
                        return Optional.<NoteVerifier>empty();
                    }
                })
                .recover(e -> e instanceof PgException pg && "42P01".equals(pg.getSqlState())
                        ? Future.succeededFuture(Optional.empty()) // no mirrored_logs table: this build does not follow
                        : Future.failedFuture(e));
    }

    /** No log at all. */
    static KnownLogs none() {
        return origin -> Future.succeededFuture(Optional.empty());
    }
}
