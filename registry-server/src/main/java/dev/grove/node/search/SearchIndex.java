package dev.grove.node.search;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQL of search: PostgreSQL full-text search over names, tags and summaries and part-of-name matches, then, for a
 * query that finds nothing that way, the names most similar to it by pg_trgm trigram similarity above
 * {@value #FUZZY_THRESHOLD}. One hit per package: its latest version (the newest promoted one when there is one, else the
 * newest release that is not yanked). Without pg_trgm in the database there are no fuzzy matches.
 */
final class SearchIndex {

    private static final Logger LOG = LoggerFactory.getLogger(SearchIndex.class);

    /**
     * The least pg_trgm similarity of a name to a query for a fuzzy match: pg_trgm's own default threshold. Two swapped
     * letters in a short name ({@code langdi}, {@code sentimnet}) stay above it (about 0.4); unrelated names fall below.
     */
    static final double FUZZY_THRESHOLD = 0.3;

    /** The words and part-of-name match: full-text rank, plus 2 for a name that starts with the query, 1 for one containing it. */
    private static final String TEXT_RANK = """
            CASE WHEN $1 = '' THEN 0
                 ELSE ts_rank(v.search, websearch_to_tsquery('english', $1))
                      + CASE WHEN strpos(lower(v.name), lower($1)) = 1
                               OR strpos(lower(v.namespace || '/' || v.name), lower($1)) = 1 THEN 2
                             WHEN strpos(lower(v.namespace || '/' || v.name), lower($1)) > 0 THEN 1
                             ELSE 0 END
            END""";

    private static final String TEXT_MATCH = """
            ($1 = '' OR v.search @@ websearch_to_tsquery('english', $1)
                 OR strpos(lower(v.namespace || '/' || v.name), lower($1)) > 0)""";

    /** Trigram similarity of the query to the name, with or without its namespace (pg_trgm; used only when present). */
    private static final String SIMILARITY = """
            greatest(similarity(lower(v.name), lower($1)), similarity(lower(v.namespace || '/' || v.name), lower($1)))""";

    private static final String SEARCH = search(TEXT_RANK, TEXT_MATCH);

    private static final String FUZZY = search(SIMILARITY, SIMILARITY + " > " + FUZZY_THRESHOLD);

    /** The search with this rank and match; the user's query and filters are always bind parameters. */
    private static String search(String rank, String match) {
        return """
            SELECT * FROM (
                SELECT DISTINCT ON (v.origin, v.namespace, v.name)
                       v.origin, v.namespace, v.name, v.version, v.digest, v.summary, v.task, v.license, v.tags, v.parameters,
                       v.size_bytes, v.operator, v.published_at, v.status,
                       %s AS rank
                  FROM package_versions v
                 WHERE NOT v.yanked AND NOT v.prerelease
                   AND %s
                   AND ($2::text IS NULL OR v.task = $2)
                   AND ($3::text IS NULL OR v.license = $3)
                   AND ($4::bigint IS NULL OR v.parameters <= $4)
                   AND ($5::bigint IS NULL OR v.size_bytes <= $5)
                   AND ($9::text IS NULL OR v.origin = $9)
                 ORDER BY v.origin, v.namespace, v.name, v.status = 'promoted' DESC, v.major DESC, v.minor DESC,
                          v.patch DESC
            ) latest
            WHERE $8::text IS NULL OR latest.status = $8
            ORDER BY rank DESC, namespace, name, origin
            LIMIT $6 OFFSET $7""".formatted(rank, match);
    }

    private static final String HAS_TRIGRAMS = "SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'";

    private final Pool pool;
    /** Whether pg_trgm is installed (migration V014 creates it where the database allows): asked once, by {@link #prepare}. */
    private final AtomicReference<Future<Boolean>> fuzzy = new AtomicReference<>();

    SearchIndex(Pool pool) {
        this.pool = pool;
    }

    /**
     * Asks once whether pg_trgm is installed; call after the migrations ran (a failed check lasts until restart: no fuzzy
     * matches). Safe to call from several verticles: only the first asks.
     */
    void prepare() {
        synchronized (fuzzy) {
            if (fuzzy.get() == null) {
                fuzzy.set(checkTrigrams());
            }
        }
    }

    private Future<Boolean> checkTrigrams() {
        return pool.query(HAS_TRIGRAMS).execute().map(rows -> rows.size() > 0)
                .otherwise(e -> {
                    LOG.warn("could not check for pg_trgm ({}); search answers without fuzzy name matches until the "
                            + "node restarts", e.getMessage());
                    return false;
                })
                .onSuccess(present -> {
                    if (!present) {
                        LOG.info("pg_trgm is not installed in the database: search answers without fuzzy name matches");
                    }
                });
    }

    /** The hits of one page: by words or part of the name, else (on the first page) by name similarity. */
    Future<List<SearchHit>> search(SearchQuery query) {
        Tuple args = Tuple.tuple()
                .addValue(query.text())
                .addValue(query.task().orElse(null))
                .addValue(query.license().orElse(null))
                .addValue(query.maxParameters().orElse(null))
                .addValue(query.maxBytes().orElse(null))
                .addValue(query.limit())
                .addValue(query.offset())
                .addValue(query.status().orElse(null))
                .addValue(query.origin().orElse(null));
        return pool.preparedQuery(SEARCH).execute(args).compose(rows -> rows.size() > 0 || query.text().isEmpty()
                || query.offset() > 0 ? Future.succeededFuture(hits(rows, false)) : similarNames(args, rows));
    }

    /** Nothing by words or part of the name: the names most like the query, when pg_trgm is there. */
    private Future<List<SearchHit>> similarNames(Tuple args, RowSet<Row> none) {
        return fuzzy.get().compose(present -> present
                ? pool.preparedQuery(FUZZY).execute(args).map(similar -> hits(similar, true))
                : Future.succeededFuture(hits(none, false)));
    }

    private static List<SearchHit> hits(RowSet<Row> rows, boolean fuzzy) {
        List<SearchHit> hits = new ArrayList<>();
        for (Row r : rows) {
            hits.add(new SearchHit(r.getString("origin"), r.getString("namespace"), r.getString("name"),
                    r.getString("version"), r.getString("digest"), r.getString("summary"), r.getString("task"),
                    r.getString("license"), List.of(r.getArrayOfStrings("tags")), r.getLong("parameters"),
                    r.getLong("size_bytes"), r.getString("operator"), r.getString("status"),
                    r.getOffsetDateTime("published_at"), fuzzy,
                    fuzzy ? OptionalDouble.of(r.getDouble("rank")) : OptionalDouble.empty()));
        }
        return hits;
    }
}
