package dev.grove.node.reports;

import dev.grove.crypto.Sha256;
import dev.grove.node.problem.ReportRefused;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * The reports in PostgreSQL (tables {@code reports} and {@code spent_tokens}, migration V006). A report is stored with the
 * day it arrived (UTC) and nothing else about its sending; the spent token only as the SHA-256 of its message.
 */
final class ReportStore {

    private static final String PACKAGE_EXISTS = """
            SELECT 1 FROM package_versions WHERE digest = $1 LIMIT 1""";

    /**
     * Spends the token and stores the report in one statement (so in one transaction, in one round trip): the token is
     * spent only when the package is known, and the report stored only when the token was not spent before. Of two
     * concurrent statements with the same token, the second waits on the first's key and then inserts nothing.
     */
    private static final String ACCEPT = """
            WITH known AS (SELECT 1 FROM package_versions WHERE digest = $1 LIMIT 1),
                 spent AS (INSERT INTO spent_tokens (token_hash) SELECT $7::bytea WHERE EXISTS (SELECT 1 FROM known)
                           ON CONFLICT (token_hash) DO NOTHING RETURNING 1),
                 stored AS (INSERT INTO reports (package_digest, helped, rating, latency_ms, runtime, device_class,
                                                 received_day)
                            SELECT $1::text, $2::boolean, $3::smallint, $4::integer, $5::text, $6::text,
                                   (now() AT TIME ZONE 'UTC')::date FROM spent RETURNING 1)
            SELECT EXISTS (SELECT 1 FROM known) AS known, EXISTS (SELECT 1 FROM stored) AS stored""";

    /** The whole version, per runtime and per device class, in one pass; only aggregates leave the database. */
    private static final String AGGREGATES = """
            SELECT GROUPING(runtime) AS g_runtime, GROUPING(device_class) AS g_device, runtime, device_class,
                   count(*) AS n, count(*) FILTER (WHERE helped) AS yes,
                   count(rating) AS rating_n, avg(rating)::float8 AS rating_mean, var_samp(rating)::float8 AS rating_var,
                   count(latency_ms) AS latency_n,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) AS latency_median,
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY latency_ms) AS latency_p90
              FROM reports WHERE package_digest = $1
             GROUP BY GROUPING SETS ((), (runtime), (device_class))""";

    private final Pool pool;

    ReportStore(Pool pool) {
        this.pool = pool;
    }

    /**
     * Stores the report and spends its token in one transaction: of two reports with the same token (even concurrent ones)
     * exactly one is stored.
     *
     * @return fails with {@link ReportRefused} ({@code unknown-package}) when no version has the report's package digest,
     *         ({@code spent}) when the token was spent
     */
    Future<Void> accept(ReportRequest report, Sha256 tokenHash) {
        String digest = report.packageDigest().toString();
        Tuple args = Tuple.of(digest, report.helped(),
                report.rating().isPresent() ? (short) report.rating().getAsInt() : null,
                report.latencyMs().isPresent() ? report.latencyMs().getAsInt() : null,
                report.runtime(), report.device(), Buffer.buffer(tokenHash.bytes()));
        return pool.preparedQuery(ACCEPT).execute(args).compose(rows -> {
            Row row = rows.iterator().next();
            if (!row.getBoolean("known")) {
                return Future.failedFuture(new ReportRefused(ReportRefused.Reason.UNKNOWN_PACKAGE,
                        "no version on this node has the package digest " + digest));
            }
            if (!row.getBoolean("stored")) {
                return Future.failedFuture(new ReportRefused(ReportRefused.Reason.SPENT,
                        "this token was already spent: a token carries one report; get a new one from "
                                + "POST /v1/reports/tokens"));
            }
            return Future.succeededFuture();
        });
    }

    /** The version's aggregate rows: the whole version first, then one per runtime and one per device class. */
    Future<List<Cell>> aggregates(Sha256 digest) {
        return pool.preparedQuery(AGGREGATES).execute(Tuple.of(digest.toString())).map(rows -> {
            List<Cell> cells = new ArrayList<>();
            for (Row row : rows) {
                cells.add(Cell.of(row));
            }
            return cells;
        });
    }

    /** Whether a version with this package digest is on the node. */
    Future<Boolean> packageExists(Sha256 digest) {
        return pool.preparedQuery(PACKAGE_EXISTS).execute(Tuple.of(digest.toString())).map(rows -> rows.size() > 0);
    }

    /**
     * One aggregate row.
     *
     * @param dimension {@code all}, {@code runtime} or {@code device}
     * @param value     the runtime or device class ({@code ""} for {@code all})
     */
    record Cell(String dimension, String value, long count, long yes, long ratingCount, double ratingMean,
                double ratingVariance, long latencyCount, double latencyMedian, double latencyP90) {

        static Cell of(Row row) {
            boolean byRuntime = row.getInteger("g_runtime") == 0;
            boolean byDevice = row.getInteger("g_device") == 0;
            String dimension = byRuntime ? "runtime" : byDevice ? "device" : "all";
            String value = byRuntime ? row.getString("runtime") : byDevice ? row.getString("device_class") : "";
            return new Cell(dimension, value, row.getLong("n"), row.getLong("yes"), row.getLong("rating_n"),
                    orZero(row.getDouble("rating_mean")), orZero(row.getDouble("rating_var")), row.getLong("latency_n"),
                    orZero(row.getDouble("latency_median")), orZero(row.getDouble("latency_p90")));
        }

        private static double orZero(Double d) {
            return d == null ? 0 : d;
        }
    }
}
