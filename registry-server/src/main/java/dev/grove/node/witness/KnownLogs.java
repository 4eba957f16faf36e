package dev.grove.node.witness;

import dev.grove.note.NoteVerifier;
import io.vertx.core.Future;
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

    /** No log at all. */
    static KnownLogs none() {
        return origin -> Future.succeededFuture(Optional.empty());
    }
}
