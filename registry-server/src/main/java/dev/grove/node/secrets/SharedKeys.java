package dev.grove.node.secrets;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The check, at start, that every process of one node holds the same keys. The first process to start on a database
 * records the public half of each of its secret files in {@code shared_keys}; every process, that one included, then
 * compares its own with what is recorded and refuses to start when one differs. Processes starting together on an empty
 * table each insert their own; the first insert wins and the others are compared with it.
 */
public final class SharedKeys {

    private static final Logger LOG = LoggerFactory.getLogger(SharedKeys.class);

    private static final String RECORD = """
            INSERT INTO shared_keys (name, public_key) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING""";
    private static final String RECORDED = "SELECT name, public_key FROM shared_keys";

    private SharedKeys() {
    }

    /**
     * Records the keys not recorded yet, then compares each with the recorded one.
     *
     * @param dataDir this process's data directory, named in the message
     * @return fails with {@link KeyMismatchException} naming every key that differs, its file and what to do
     */
    public static Future<Void> check(Pool pool, Path dataDir, List<HeldKey> held) {
        List<Tuple> rows = held.stream().map(k -> Tuple.of(k.name(), k.publicKey())).toList();
        // one transaction: its SELECT runs after the INSERTs waited for any concurrent first insert to commit
        return pool.withTransaction(conn -> conn.preparedQuery(RECORD).executeBatch(rows)
                        .compose(inserted -> conn.preparedQuery(RECORDED).execute()))
                .compose(recorded -> {
                    Map<String, String> byName = new HashMap<>();
                    for (Row row : recorded) {
                        byName.put(row.getString("name"), row.getString("public_key"));
                    }
                    List<HeldKey> differing = new ArrayList<>();
                    for (HeldKey key : held) {
                        if (!key.publicKey().equals(byName.get(key.name()))) {
                            differing.add(key);
                        }
                    }
                    if (differing.isEmpty()) {
                        LOG.info("{} match the keys recorded for this node",
                                held.stream().map(HeldKey::name).collect(Collectors.joining(", ")));
                        return Future.succeededFuture();
                    }
                    return Future.failedFuture(mismatch(dataDir, held, differing));
                });
    }

    private static KeyMismatchException mismatch(Path dataDir, List<HeldKey> held, List<HeldKey> differing) {
        String which = differing.stream().map(k -> "the " + k.name() + " in " + k.file().toAbsolutePath())
                .collect(Collectors.joining(", "));
        String files = held.stream().map(k -> k.file().getFileName().toString()).collect(Collectors.joining(", "));
        return new KeyMismatchException(which + (differing.size() == 1 ? " is not the key" : " are not the keys")
                + " the other processes of this node hold (recorded in its database when it first started). Every "
                + "process of one node must hold the same secret files: stop this process, copy " + files
                + " from the data directory of a process already running into " + dataDir.toAbsolutePath()
                + ", and start it again.");
    }
}
