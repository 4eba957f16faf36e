package dev.grove.node.search;

import dev.grove.node.feature.RouteModule;
import dev.grove.node.http.ProblemException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;

import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /v1/search}: checks the query parameters, asks the {@link SearchIndex} and writes the results. The search
 * finds names, tags and summaries by words and part of a name ({@code lang} finds {@code garden/langid}; a name that
 * starts with the query ranks first, one that contains it next), filtered by task, license, size, status and origin. A
 * query that finds nothing that way is answered with the names most similar to it (pg_trgm trigram similarity above
 * {@value SearchIndex#FUZZY_THRESHOLD}, most similar first), each result marked {@code "match": "fuzzy"} with its
 * {@code similarity}; every other result is {@code "match": "text"}. Without pg_trgm in the database there are no fuzzy
 * matches. One result per package: its latest version (the newest promoted one when there is one, else the newest
 * release that is not yanked), with its release status.
 */
public final class SearchRoutes implements RouteModule {

    static final int MAX_LIMIT = 100;
    private static final int MAX_QUERY_LENGTH = 200;
    private static final long MAX_OFFSET = 10_000;


    private final SearchIndex index;
    private final String origin;

    public SearchRoutes(Pool pool, String origin) {
        this.index = new SearchIndex(pool);
        this.origin = origin;
    }

    @Override
    public void mount(Router router, BodyHandler json) {
        index.prepare(); // each verticle mounts the routes, after the migrations ran; the index asks once
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
        Optional<String> task = param(ctx, "task");
        Optional<String> license = param(ctx, "license");
        Optional<Long> maxParameters = number(ctx, "maxParameters");
        Optional<Long> maxBytes = number(ctx, "maxBytes");
        Optional<String> status = status(ctx);
        // origin: a mirrored package's log origin, or this node's own (its URL as results show it)
        Optional<String> from = param(ctx, "origin").map(o -> o.equals(origin) ? "" : o);
        index.search(new SearchQuery(q, task, license, maxParameters, maxBytes, limit, offset, status, from))
                .onSuccess(hits -> ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                        .put("query", q).put("limit", limit).put("offset", offset).put("results", results(hits))
                        .encode()))
                .onFailure(ctx::fail);
    }

    private JsonArray results(List<SearchHit> hits) {
        JsonArray results = new JsonArray();
        for (SearchHit hit : hits) {
            JsonObject result = new JsonObject()
                    .put("name", hit.namespace() + "/" + hit.name())
                    .put("version", hit.version())
                    .put("digest", hit.digest())
                    .put("origin", hit.origin().isEmpty() ? origin : hit.origin())
                    .put("summary", hit.summary())
                    .put("task", hit.task())
                    .put("license", hit.license())
                    .put("tags", new JsonArray(hit.tags()))
                    .put("parameters", hit.parameters())
                    .put("bytes", hit.bytes())
                    .put("operator", hit.operator())
                    .put("status", hit.status())
                    .put("publishedAt", hit.publishedAt().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                    .put("match", hit.fuzzy() ? "fuzzy" : "text");
            hit.similarity().ifPresent(s -> result.put("similarity", Math.round(s * 1000) / 1000.0));
            results.add(result);
        }
        return results;
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
