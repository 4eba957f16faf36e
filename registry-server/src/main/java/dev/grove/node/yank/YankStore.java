package dev.grove.node.yank;

import dev.grove.crypto.Sha256;
import dev.grove.dsse.Envelope;
import dev.grove.pkg.PackageName;
import dev.grove.pkg.Yank;
import io.vertx.sqlclient.SqlClient;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;

/** The SQL of yanks: marks this node's own version yanked (table {@code package_versions}, origin ''). */
final class YankStore {

    private static final String YANK = """
            UPDATE package_versions SET yanked = true, yank_reason = $4, yank_envelope = $5
             WHERE origin = '' AND namespace = $1 AND name = $2 AND version = $3 AND digest = $6 AND NOT yanked
            RETURNING digest""";

    private static final String STORED_DIGEST = """
            SELECT digest FROM package_versions WHERE origin = '' AND namespace = $1 AND name = $2 AND version = $3""";

    private YankStore() {
    }

    /**
     * Yanks {@code name@version} when it is the content the statement names and is not yanked yet.
     *
     * @return the yanked package's digest, or empty when nothing changed (not published, other content, already yanked)
     */
    static Future<Optional<Sha256>> yank(SqlClient tx, PackageName name, String version, Yank yank, Envelope envelope) {
        Tuple args = Tuple.of(name.namespace(), name.name(), version, yank.reason(), envelope.toJsonString(),
                yank.digest().toString());
        return tx.preparedQuery(YANK).execute(args).map(rows -> rows.rowCount() == 1
                ? Optional.of(Sha256.parse(rows.iterator().next().getString("digest")))
                : Optional.<Sha256>empty());
    }

    /** The digest {@code name@version} has on this node, or empty when it is not published here. */
    static Future<Optional<Sha256>> storedDigest(SqlClient client, PackageName name, String version) {
        return client.preparedQuery(STORED_DIGEST).execute(Tuple.of(name.namespace(), name.name(), version))
                .map(rows -> rows.size() == 0 ? Optional.<Sha256>empty()
                        : Optional.of(Sha256.parse(rows.iterator().next().getString("digest"))));
    }
}
