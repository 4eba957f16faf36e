package dev.grove.node.publish;

import dev.grove.dsse.Envelope;
import dev.grove.pkg.Contract;
import dev.grove.pkg.PackageName;
import dev.grove.semver.SemVer;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;

/**
 * The SQL a publish reads and locks with (the rows themselves are written by {@code VersionRows}): the package's lock,
 * the stored row of the same version, and the neighbouring releases of the same major.
 */
final class PublishStore {

    private static final String LOCK_PACKAGE = "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))";

    private static final String SELECT_SAME_VERSION = """
            SELECT v.digest, coalesce(v.log_index, e.idx) AS log_index, v.log_entry, v.contract_envelope,
                   v.lineage_envelope, v.evaluation_envelope, v.signer_keys
              FROM package_versions v LEFT JOIN log_entries e ON e.id = v.log_entry
             WHERE v.origin = '' AND v.namespace = $1 AND v.name = $2 AND v.version = $3""";

    /** The nearest lower and the nearest higher release of one major version (index package_versions_package). */
    private static final String SELECT_NEIGHBOURS = """
            (SELECT 'lower' AS side, version, contract_envelope FROM package_versions
              WHERE origin = '' AND namespace = $1 AND name = $2 AND major = $3 AND NOT prerelease
                AND (minor, patch) < ($4, $5)
              ORDER BY minor DESC, patch DESC LIMIT 1)
            UNION ALL
            (SELECT 'higher' AS side, version, contract_envelope FROM package_versions
              WHERE origin = '' AND namespace = $1 AND name = $2 AND major = $3 AND NOT prerelease
                AND (minor, patch) > ($4, $5)
              ORDER BY minor, patch LIMIT 1)""";

    private static final String UNIQUE_VIOLATION = "23505";

    /** A release of the same major as the version being published, with its contract. */
    record Neighbour(String version, Contract contract) {
    }

    /** The nearest lower and the nearest higher release of the same major, when there are. */
    record Neighbours(Optional<Neighbour> lower, Optional<Neighbour> higher) {
    }

    private PublishStore() {
    }

    /** Serialises publishes of one package until the transaction ends. */
    static Future<Void> lockPackage(SqlConnection tx, PackageName name) {
        return tx.preparedQuery(LOCK_PACKAGE).execute(Tuple.of(name.toString())).mapEmpty();
    }

    /**
     * The stored row of {@code contract}'s version (columns {@code digest}, {@code log_index} (null until its entry,
     * {@code log_entry}, is sequenced, and for a version published before the node kept a log) and what
     * {@code VersionRows.storedBundle} reads), or empty when it is not published here.
     */
    static Future<Optional<Row>> sameVersion(SqlClient client, Contract contract) {
        return client.preparedQuery(SELECT_SAME_VERSION)
                .execute(Tuple.of(contract.name().namespace(), contract.name().name(), contract.version().toString()))
                .map(rows -> rows.size() == 0 ? Optional.<Row>empty() : Optional.of(rows.iterator().next()));
    }

    /** The releases next to {@code next} in its major version. */
    static Future<Neighbours> neighbours(SqlClient client, Contract next) {
        SemVer version = next.version();
        return client.preparedQuery(SELECT_NEIGHBOURS)
                .execute(Tuple.of(next.name().namespace(), next.name().name(), (long) version.major(),
                        (long) version.minor(), (long) version.patch()))
                .map(rows -> {
                    Optional<Neighbour> lower = Optional.empty();
                    Optional<Neighbour> higher = Optional.empty();
                    for (Row row : rows) {
                        Neighbour n = new Neighbour(row.getString("version"),
                                Contract.parse(Envelope.parse(row.getString("contract_envelope")).payload()));
                        if (row.getString("side").equals("lower")) {
                            lower = Optional.of(n);
                        } else {
                            higher = Optional.of(n);
                        }
                    }
                    return new Neighbours(lower, higher);
                });
    }

    /** Whether {@code failure} is the database refusing a second row of one version (a concurrent publish won). */
    static boolean lostRace(Throwable failure) {
        return failure instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState());
    }
}
