package dev.grove.node.namespace;

import dev.grove.crypto.Ed25519PublicKey;
import dev.grove.crypto.KeyId;
import dev.grove.dsse.Envelope;
import dev.grove.logentry.LogEntries;
import dev.grove.node.log.LogAppender;
import dev.grove.node.log.LogEntryId;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and changes the keysets that this node's own namespaces are bound to (origin ''). The SQL for the namespace tables
 * lives here.
 */
public final class NamespaceKeys {

    private static final String SELECT_KEYSET = """
            SELECT n.keyset_sequence, k.keyid, k.public_key
              FROM namespaces n
              LEFT JOIN namespace_keys k ON k.origin = n.origin AND k.namespace = n.name
             WHERE n.origin = '' AND n.name = $1""";

    private static final String LOCK_NAMESPACE = """
            SELECT keyset_sequence FROM namespaces WHERE origin = '' AND name = $1 FOR UPDATE""";

    private static final String SHARE_NAMESPACE = """
            SELECT keyset_sequence FROM namespaces WHERE origin = '' AND name = $1 FOR SHARE""";

    private static final String INSERT_NAMESPACE = """
            INSERT INTO namespaces (name, keyset_sequence) VALUES ($1, 1) ON CONFLICT (origin, name) DO NOTHING""";

    private static final String INSERT_KEY = """
            INSERT INTO namespace_keys (namespace, keyid, public_key) VALUES ($1, $2, $3)""";

    private static final String DELETE_KEYS = "DELETE FROM namespace_keys WHERE origin = '' AND namespace = $1";

    private static final String INSERT_CHANGE = """
            INSERT INTO keyset_changes (namespace, sequence, keys, envelope) VALUES ($1, $2, $3, $4)""";

    private static final String UPDATE_SEQUENCE = "UPDATE namespaces SET keyset_sequence = $2 WHERE origin = '' AND name = $1";

    private static final String SELECT_HISTORY = """
            SELECT sequence, keys, envelope, created_at FROM keyset_changes WHERE origin = '' AND namespace = $1 ORDER BY sequence""";

    private NamespaceKeys() {
    }

    /** The current keyset of a namespace, or empty when nobody has published into it yet. */
    public static Future<Optional<Keyset>> current(SqlClient client, String namespace) {
        return client.preparedQuery(SELECT_KEYSET).execute(Tuple.of(namespace)).map(rows -> {
            long sequence = -1;
            Map<KeyId, Ed25519PublicKey> keys = new LinkedHashMap<>();
            for (Row row : rows) {
                sequence = row.getLong("keyset_sequence");
                Buffer raw = row.getBuffer("public_key");
                if (raw != null) {
                    Ed25519PublicKey key = Ed25519PublicKey.fromBytes(raw.getBytes());
                    keys.put(key.keyId(), key);
                }
            }
            return sequence < 0 ? Optional.<Keyset>empty() : Optional.of(new Keyset(namespace, sequence, keys));
        });
    }

    /**
     * Locks the namespace row for the rest of the transaction and returns its keyset sequence, so that a publish verified
     * against one keyset cannot commit after that keyset was replaced.
     */
    public static Future<Optional<Long>> lock(SqlConnection tx, String namespace) {
        return sequence(tx, LOCK_NAMESPACE, namespace);
    }

    /**
     * Like {@link #lock}, but shared: publishes into one namespace do not wait for each other (each package has its own
     * lock for that), only a keyset change waits for them, and they for it.
     */
    public static Future<Optional<Long>> lockShared(SqlConnection tx, String namespace) {
        return sequence(tx, SHARE_NAMESPACE, namespace);
    }

    private static Future<Optional<Long>> sequence(SqlConnection tx, String sql, String namespace) {
        return tx.preparedQuery(sql).execute(Tuple.of(namespace)).map(rows ->
                rows.size() == 0 ? Optional.<Long>empty() : Optional.of(rows.iterator().next().getLong(0)));
    }

    /**
     * Binds a new namespace to the keys that signed its first publish (trust on first use), appending the binding's
     * {@code keyset/v1} entry to {@code log} in the same transaction. Answers empty, having written nothing, when another
     * publish bound it first, so that the caller checks again against the keyset that won.
     */
    public static Future<Optional<LogEntryId>> bind(SqlConnection tx, Keyset keyset, LogAppender log) {
        return tx.preparedQuery(INSERT_NAMESPACE).execute(Tuple.of(keyset.namespace())).compose(rows -> rows.rowCount() == 0
                ? Future.succeededFuture(Optional.<LogEntryId>empty())
                : insertKeys(tx, keyset, Optional.empty(), log).map(Optional::of));
    }

    /**
     * Replaces the keyset of an existing namespace with a change already verified against the current keyset, and appends
     * its {@code keyset/v1} entry to {@code log} in the same transaction.
     */
    public static Future<LogEntryId> replace(SqlConnection tx, Keyset next, String envelopeJson, LogAppender log) {
        return tx.preparedQuery(DELETE_KEYS).execute(Tuple.of(next.namespace()))
                .compose(v -> tx.preparedQuery(UPDATE_SEQUENCE).execute(Tuple.of(next.namespace(), next.sequence())))
                .compose(v -> insertKeys(tx, next, Optional.of(envelopeJson), log));
    }

    private static Future<LogEntryId> insertKeys(SqlConnection tx, Keyset keyset, Optional<String> envelope,
                                                 LogAppender log) {
        byte[] entry = LogEntries.keyset(keyset.namespace(), keyset.sequence(), keyset.keys(),
                envelope.map(Envelope::parse));
        var batch = keyset.keys().entrySet().stream()
                .map(e -> Tuple.of(keyset.namespace(), e.getKey().hex(), Buffer.buffer(e.getValue().bytes())))
                .toList();
        return tx.preparedQuery(INSERT_KEY).executeBatch(batch)
                .compose(v -> tx.preparedQuery(INSERT_CHANGE).execute(Tuple.of(
                        keyset.namespace(), keyset.sequence(), keysJson(keyset), envelope.orElse(null))))
                .compose(v -> log.append(tx, entry));
    }

    /** The keys as the wire format lists them: {@code [{"keyid": ..., "publicKey": ...}]}. */
    public static JsonArray keysJson(Keyset keyset) {
        JsonArray keys = new JsonArray();
        keyset.keys().forEach((id, key) -> keys.add(new JsonObject().put("keyid", id.hex()).put("publicKey", key.base64())));
        return keys;
    }

    /** Every keyset the namespace has had, oldest first, with the envelopes that changed them. */
    public static Future<JsonArray> history(SqlClient client, String namespace) {
        return client.preparedQuery(SELECT_HISTORY).execute(Tuple.of(namespace)).map(rows -> {
            JsonArray history = new JsonArray();
            for (Row row : rows) {
                JsonObject change = new JsonObject()
                        .put("sequence", row.getLong("sequence"))
                        .put("keys", row.getJsonArray("keys"))
                        .put("changedAt", row.getOffsetDateTime("created_at").format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
                String envelope = row.getString("envelope");
                change.put("envelope", envelope == null ? null : new JsonObject(envelope));
                history.add(change);
            }
            return history;
        });
    }
}
