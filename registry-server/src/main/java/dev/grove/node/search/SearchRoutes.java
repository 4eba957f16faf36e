package dev.grove.node.search;

import dev.grove.node.RouteModule;
import dev.grove.node.http.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/search}: PostgreSQL full-text search over names, tags and summaries, and part-of-name matches
 * ({@code lang} finds {@code garden/langid}; a name that starts with the query ranks first, one that contains it next),
 * filtered by task, license, size, status and origin. A query that finds nothing that way is answered with the names
 * most similar to it (pg_trgm trigram similarity above {@value #FUZZY_THRESHOLD}, most similar first), each result marked
 * {@code "match": "fuzzy"} with its {@code similarity}; every other result is {@code "match": "text"}. Without pg_trgm in
 * the database there are no fuzzy matches.
 * One result per package: its latest version (the newest promoted one when there is one, else the newest release that is
 * not yanked), with its release status.
 */
public final class SearchRoutes implements RouteModule {

    private static final Logger LOG = LoggerFactory.getLogger(SearchRoutes.class);

    static final int MAX_LIMIT = 100;
    private static final int MAX_QUERY_LENGTH = 200;
    private static final long MAX_OFFSET = 10_000;

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
    private final String origin;
    /**
     * Whether pg_trgm is installed (migration V014 creates it where the database allows): asked once, when the first
     * verticle mounts the routes, which is after the migrations ran.
     */
    private final AtomicReference<Future<Boolean>> fuzzy = new AtomicReference<>();

    public SearchRoutes(Pool pool, String origin) {
        this.pool = pool;
        this.origin = origin;
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

    @Override
    public void mount(Router router, BodyHandler json) {
        synchronized (fuzzy) { // each verticle mounts the routes; one asks
            if (fuzzy.get() == null) {
                fuzzy.set(checkTrigrams());
            }
        }
        router.get("/v1/search").handler(this::search);
    }

    private void search(RoutingContext ctx) {
        String q = param(ctx, "q").orElse("").trim();
        if (q.length() > MAX_QUERY_LENGTH) {
            throw ProblemException.badRequest("q is " + q.length() + " characters; at most " + MAX_QUERY_LENGTH + " are allowed");
        }
        long limit = number(ctx, "limit").orElse(20L);
        long offset = number(ctx, "offset").orElse(0L);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ProblemException.badRequest("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        if (offset > MAX_OFFSET) {
            throw ProblemException.badRequest("offset must be at most " + MAX_OFFSET + ", was " + offset
                    + "; narrow the query instead of paging this far");
        }
        Tuple args = Tuple.tuple()
                .addValue(q)
                .addValue(param(ctx, "task").orElse(null))
                .addValue(param(ctx, "license").orElse(null))
                .addValue(number(ctx, "maxParameters").orElse(null))
                .addValue(number(ctx, "maxBytes").orElse(null))
                .addValue(limit)
                .addValue(offset)
                .addValue(status(ctx).orElse(null))
                // origin: a mirrored package's log origin, or this node's own (its URL as results show it)
                .addValue(param(ctx, "origin").map(o -> o.equals(origin) ? "" : o).orElse(null));
        pool.preparedQuery(SEARCH).execute(args)
                .compose(rows -> rows.size() > 0 || q.isEmpty() || offset > 0
                        ? Future.succeededFuture(new Answer(rows, "text"))
                        : similarNames(args, rows))
                .onSuccess(answer -> ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                        .put("query", q).put("limit", limit).put("offset", offset).put("results", results(answer))
                        .encode()))
                .onFailure(ctx::fail);
    }

    /** Nothing by words or part of the name: the names most like the query, when pg_trgm is there. */
    private Future<Answer> similarNames(Tuple args, RowSet<Row> none) {
        return fuzzy.get().compose(present -> present
                ? pool.preparedQuery(FUZZY).execute(args).map(similar -> new Answer(similar, "fuzzy"))
                : Future.succeededFuture(new Answer(none, "text")));
    }

    private JsonArray results(Answer answer) {
        JsonArray results = new JsonArray();
        for (Row r : answer.rows()) {
            JsonObject result = new JsonObject()
                    .put("name", r.getString("namespace") + "/" + r.getString("name"))
                    .put("version", r.getString("version"))
                    .put("digest", r.getString("digest"))
                    .put("origin", r.getString("origin").isEmpty() ? origin : r.getString("origin"))
                    .put("summary", r.getString("summary"))
                    .put("task", r.getString("task"))
                    .put("license", r.getString("license"))
                    .put("tags", new JsonArray(java.util.List.of(r.getArrayOfStrings("tags"))))
                    .put("parameters", r.getLong("parameters"))
                    .put("bytes", r.getLong("size_bytes"))
                    .put("operator", r.getString("operator"))
                    .put("status", r.getString("status"))
                    .put("publishedAt", r.getOffsetDateTime("published_at").format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                    .put("match", answer.match());
            if (answer.match().equals("fuzzy")) {
                result.put("similarity", Math.round(r.getDouble("rank") * 1000) / 1000.0);
            }
            results.add(result);
        }
        return results;
    }

    /** The rows of one search and how they matched: {@code text} (words or part of the name) or {@code fuzzy}. */
    private record Answer(RowSet<Row> rows, String match) {
    }

    /** {@code status=promoted} or {@code status=experiment}: only packages whose latest version has that status. */
    private static Optional<String> status(RoutingContext ctx) {
        Optional<String> status = param(ctx, "status");
        status.filter(s -> !s.equals("promoted") && !s.equals("experiment")).ifPresent(s -> {
            throw ProblemException.badRequest("status must be promoted or experiment, was '" + s + "'");
        });
        return status;
    }

    private static Optional<String> param(RoutingContext ctx, String name) {
        String value = ctx.queryParams().get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    private static Optional<Long> number(RoutingContext ctx, String name) {
        return param(ctx, name).map(text -> {
            try {
                long value = Long.parseLong(text);
                if (value < 0) {
                    throw new NumberFormatException();
                }
                return value;
            } catch (NumberFormatException e) {
                throw ProblemException.badRequest(name + " must be a non-negative whole number, was '" + text + "'");
            }
        });
    }
}
