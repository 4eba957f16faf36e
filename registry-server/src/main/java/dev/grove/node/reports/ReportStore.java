package dev.grove.node.reports;

import dev.grove.crypto.Sha256;
import dev.grove.node.problem.ReportRefused;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The reports in PostgreSQL (tables {@code reports} and {@code spent_tokens}, migration V006). A report is stored with the
 * day it arrived (UTC) and nothing else about its sending; the spent token only as the SHA-256 of its message.
 *
 * <p>Reports that arrive while earlier ones are being written are written together, in one statement (one transaction,
 * one commit) for up to {@value #MAX_BATCH} of them: a commit per report was what bounded the rate. Each report still
 * gets its own answer, and a batch holds no token twice (a second report with the same token waits for the next batch,
 * where it finds the token spent). Nothing about the batch is stored.
 */
final class ReportStore {

    static final int MAX_BATCH = 128;
    /** Statements writing batches at the same time: one can be committing while the next is sent. */
    static final int MAX_WRITERS = 2;

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

    /**
     * {@link #ACCEPT} for several reports with distinct tokens, in one statement: row {@code n} of the answer says
     * whether report {@code n} (from 1) names a known package and was stored (its token was not spent before).
     */
    private static final String ACCEPT_MANY = """
            WITH input AS (SELECT * FROM unnest($1::text[], $2::boolean[], $3::smallint[], $4::integer[], $5::text[],
                                               $6::text[], $7::bytea[]) WITH ORDINALITY
                              AS r(package_digest, helped, rating, latency_ms, runtime, device_class, token_hash, n)),
                 known AS (SELECT r.* FROM input r
                            WHERE EXISTS (SELECT 1 FROM package_versions p WHERE p.digest = r.package_digest)),
                 spent AS (INSERT INTO spent_tokens (token_hash) SELECT token_hash FROM known
                           ON CONFLICT (token_hash) DO NOTHING RETURNING token_hash),
                 stored AS (INSERT INTO reports (package_digest, helped, rating, latency_ms, runtime, device_class,
                                                 received_day)
                            SELECT k.package_digest, k.helped, k.rating, k.latency_ms, k.runtime, k.device_class,
                                   (now() AT TIME ZONE 'UTC')::date
                              FROM known k JOIN spent s ON s.token_hash = k.token_hash RETURNING 1)
            SELECT r.n, EXISTS (SELECT 1 FROM known k WHERE k.n = r.n) AS known,
                   EXISTS (SELECT 1 FROM spent s WHERE s.token_hash = r.token_hash) AS stored
              FROM input r ORDER BY r.n""";

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

    private final Vertx vertx;
    private final Pool pool;
    /** Reports waiting for a writer; guarded by {@code this}, as is {@code writers}. */
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    private int writers;

    ReportStore(Vertx vertx, Pool pool) {
        this.vertx = vertx;
        this.pool = pool;
    }

    /** A report waiting to be written, answered on the context that asked. */
    private record Pending(ReportRequest report, Sha256 tokenHash, Promise<Void> answer, Context context) {
        void complete(AsyncResult<Void> outcome) {
            context.runOnContext(v -> answer.handle(outcome));
        }
    }

    /**
     * Stores the report and spends its token in one transaction: of two reports with the same token (even concurrent ones)
     * exactly one is stored.
     *
     * @return fails with {@link ReportRefused} ({@code unknown-package}) when no version has the report's package digest,
     *         ({@code spent}) when the token was spent
     */
    Future<Void> accept(ReportRequest report, Sha256 tokenHash) {
        Pending pending = new Pending(report, tokenHash, Promise.promise(), vertx.getOrCreateContext());
        boolean start;
        synchronized (this) {
            waiting.add(pending);
            start = writers < MAX_WRITERS;
            if (start) {
                writers++;
            }
        }
        if (start) {
            writeNext();
        }
        return pending.answer().future();
    }

    /** Writes what waits, batch after batch, until nothing does; then this writer ends. */
    private void writeNext() {
        List<Pending> batch = new ArrayList<>();
        synchronized (this) {
            Set<Sha256> tokens = new HashSet<>();
            for (Iterator<Pending> i = waiting.iterator(); i.hasNext() && batch.size() < MAX_BATCH; ) {
                Pending p = i.next();
                if (tokens.add(p.tokenHash())) {
                    batch.add(p);
                    i.remove();
                }
            }
            if (batch.isEmpty()) {
                writers--;
                return;
            }
        }
        write(batch).onComplete(done -> writeNext());
    }

    /** Writes one batch and answers each of its reports; a batch that fails is written again one report at a time. */
    private Future<Void> write(List<Pending> batch) {
        if (batch.size() == 1) {
            Pending p = batch.get(0);
            return acceptOne(p.report(), p.tokenHash()).andThen(p::complete).transform(ar -> Future.succeededFuture());
        }
        int n = batch.size();
        String[] digests = new String[n];
        Boolean[] helped = new Boolean[n];
        Short[] ratings = new Short[n];
        Integer[] latencies = new Integer[n];
        String[] runtimes = new String[n];
        String[] devices = new String[n];
        Buffer[] tokens = new Buffer[n];
        for (int i = 0; i < n; i++) {
            ReportRequest r = batch.get(i).report();
            digests[i] = r.packageDigest().toString();
            helped[i] = r.helped();
            ratings[i] = r.rating().isPresent() ? (short) r.rating().getAsInt() : null;
            latencies[i] = r.latencyMs().isPresent() ? r.latencyMs().getAsInt() : null;
            runtimes[i] = r.runtime();
            devices[i] = r.device();
            tokens[i] = Buffer.buffer(batch.get(i).tokenHash().bytes());
        }
        Tuple args = Tuple.of(digests, helped, ratings, latencies, runtimes, devices, tokens);
        return pool.preparedQuery(ACCEPT_MANY).execute(args).compose(rows -> {
            Iterator<Row> answers = rows.iterator();
            for (Pending p : batch) {
                p.complete(answers.hasNext() ? outcome(p.report(), answers.next())
                        : Future.failedFuture(new IllegalStateException("no answer row for a report of the batch")));
            }
            return Future.<Void>succeededFuture();
        }, failed -> {
            // the statement wrote nothing: each report alone, so that one cannot fail the others
            List<Future<Void>> singles = new ArrayList<>();
            for (Pending p : batch) {
                singles.add(acceptOne(p.report(), p.tokenHash()).andThen(p::complete));
            }
            return Future.join(singles).transform(ar -> Future.succeededFuture());
        });
    }

    private Future<Void> acceptOne(ReportRequest report, Sha256 tokenHash) {
        String digest = report.packageDigest().toString();
        Tuple args = Tuple.of(digest, report.helped(),
                report.rating().isPresent() ? (short) report.rating().getAsInt() : null,
                report.latencyMs().isPresent() ? report.latencyMs().getAsInt() : null,
                report.runtime(), report.device(), Buffer.buffer(tokenHash.bytes()));
        return pool.preparedQuery(ACCEPT).execute(args).compose(rows -> {
            return outcome(report, rows.iterator().next());
        });
    }

    /** The answer to one report from its row: {@code known} (the package) and {@code stored} (the token was unspent). */
    private static Future<Void> outcome(ReportRequest report, Row row) {
        if (!row.getBoolean("known")) {
            return Future.failedFuture(new ReportRefused(ReportRefused.Reason.UNKNOWN_PACKAGE,
                    "no version on this node has the package digest " + report.packageDigest()));
        }
        if (!row.getBoolean("stored")) {
            return Future.failedFuture(new ReportRefused(ReportRefused.Reason.SPENT,
                    "this token was already spent: a token carries one report; get a new one from "
                            + "POST /v1/reports/tokens"));
        }
        return Future.succeededFuture();
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
