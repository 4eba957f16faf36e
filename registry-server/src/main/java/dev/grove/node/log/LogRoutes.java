package dev.grove.node.log;

import dev.grove.node.feature.RouteModule;
import dev.grove.node.http.ProblemException;
import dev.grove.node.http.Representation;
import dev.grove.tlog.TileFormatException;
import dev.grove.tlog.TilePath;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The log over HTTP: the C2SP tlog-tiles resources under {@code /log/}, proofs under {@code /v1/log/}, and the node's log
 * identity under {@code /.well-known/grove/}. Everything is public and readable from any origin.
 *
 * <pre>
 * GET /log/checkpoint                     the latest signed checkpoint (text/plain), with witness cosignatures
 * GET /log/tile/&lt;L&gt;/&lt;N&gt;[.p/&lt;W&gt;]            a hash tile (application/octet-stream)
 * GET /log/tile/entries/&lt;N&gt;[.p/&lt;W&gt;]       an entry bundle (application/octet-stream)
 * GET /v1/log/inclusion?index=N[&amp;size=S]  {"index","treeSize","hashes":[base64...]} (size: the latest checkpoint's)
 * GET /v1/log/consistency?from=A[&amp;to=B]   {"from","to","hashes":[base64...]}
 * GET /.well-known/grove/log-key          the log's verifier key (text/plain)
 * GET /.well-known/grove/node             {"publicUrl","logOrigin","logKey"}
 * </pre>
 */
public final class LogRoutes implements RouteModule {

    /** Full tiles and bundles never change. */
    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    /** A partial tile is replaced by a wider one as the log grows; its bytes stay valid, but it is not worth keeping. */
    static final String PARTIAL = "public, max-age=60";
    private static final String JSON = "application/json";

    private final NodeLog log;
    private final String publicUrl;

    LogRoutes(NodeLog log, String publicUrl) {
        this.log = log;
        this.publicUrl = publicUrl;
    }

    @Override
    public void mount(Router router, BodyHandler json) {
        // readable from any origin: the node's Cors handler covers /log/ and /.well-known/grove/
        router.get("/log/checkpoint").handler(this::checkpoint);
        router.get("/log/tile/*").handler(this::tile);
        router.get("/v1/log/inclusion").handler(this::inclusion);
        router.get("/v1/log/consistency").handler(this::consistency);
        // the identity is fixed while the node runs: its bytes and ETag are made once
        Representation logKey = Representation.text(log.key().verifier() + "\n");
        Representation node = Representation.json(new JsonObject()
                .put("publicUrl", publicUrl)
                .put("logOrigin", log.key().origin())
                .put("logKey", log.key().verifier().toString()));
        router.get("/.well-known/grove/log-key").handler(ctx -> logKey.send(ctx, Representation.IDENTITY));
        router.get("/.well-known/grove/node").handler(ctx -> node.send(ctx, Representation.IDENTITY));
    }

    private void checkpoint(RoutingContext ctx) {
        log.reader().checkpoint().onSuccess(cp -> {
            if (cp.isEmpty()) {
                ctx.fail(ProblemException.notFound("the log has no checkpoint yet"));
                return;
            }
            // clients must see a new checkpoint promptly: revalidated at each use, 304 while it is the same
            Representation.text(cp.get().note()).send(ctx, Representation.REVALIDATE);
        }).onFailure(ctx::fail);
    }

    private void tile(RoutingContext ctx) {
        String path = ctx.normalizedPath().substring("/log/".length());
        TilePath tile;
        try {
            tile = TilePath.parse(path);
        } catch (TileFormatException e) {
            throw ProblemException.notFound(e.getMessage());
        }
        log.reader().tile(tile).onSuccess(bytes -> {
            if (bytes.isEmpty()) {
                ctx.fail(ProblemException.notFound(tile + " is not in the log (yet)"));
                return;
            }
            ctx.response()
                    .putHeader("Content-Type", "application/octet-stream")
                    .putHeader("Cache-Control", tile.isPartial() ? PARTIAL : IMMUTABLE)
                    .end(Buffer.buffer(bytes.get()));
        }).onFailure(ctx::fail);
    }

    private void inclusion(RoutingContext ctx) {
        long index = longParam(ctx, "index").orElseThrow(() -> ProblemException.badRequest("query parameter 'index' is required"));
        Optional<Long> size = longParam(ctx, "size");
        treeSize(size).compose(s -> log.reader().inclusion(index, s).compose(proof -> proof.isEmpty()
                ? Future.failedFuture(ProblemException.notFound("the log has no checkpoint of size " + s + " or larger yet"))
                : Future.succeededFuture(new JsonObject()
                        .put("index", index)
                        .put("treeSize", s)
                        .put("hashes", base64(proof.get().hashes())))))
                .onSuccess(doc -> json(ctx, doc))
                .onFailure(e -> ctx.fail(badRange(e)));
    }

    private void consistency(RoutingContext ctx) {
        long from = longParam(ctx, "from").orElseThrow(() -> ProblemException.badRequest("query parameter 'from' is required"));
        Optional<Long> to = longParam(ctx, "to");
        treeSize(to).compose(t -> log.reader().consistency(from, t).compose(proof -> proof.isEmpty()
                ? Future.failedFuture(ProblemException.notFound("the log has no checkpoint of size " + t + " or larger yet"))
                : Future.succeededFuture(new JsonObject()
                        .put("from", from)
                        .put("to", t)
                        .put("hashes", base64(proof.get().hashes())))))
                .onSuccess(doc -> json(ctx, doc))
                .onFailure(e -> ctx.fail(badRange(e)));
    }

    /** The given size, or the latest checkpoint's. */
    private Future<Long> treeSize(Optional<Long> given) {
        if (given.isPresent()) {
            return Future.succeededFuture(given.get());
        }
        return log.reader().checkpoint().compose(cp -> cp.isPresent() ? Future.succeededFuture(cp.get().size())
                : Future.failedFuture(ProblemException.notFound("the log has no checkpoint yet")));
    }

    private static Throwable badRange(Throwable e) {
        return e instanceof IllegalArgumentException ? ProblemException.badRequest(e.getMessage()) : e;
    }

    private static Optional<Long> longParam(RoutingContext ctx, String name) {
        List<String> values = ctx.queryParam(name);
        if (values.isEmpty()) {
            return Optional.empty();
        }
        String text = values.get(0);
        if (values.size() > 1 || !text.matches("0|[1-9][0-9]{0,18}")) {
            throw ProblemException.badRequest("query parameter '" + name + "' must be one non-negative decimal integer, got '"
                    + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'");
        }
        try {
            return Optional.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("query parameter '" + name + "' is out of range");
        }
    }

    static JsonArray base64(List<byte[]> hashes) {
        JsonArray out = new JsonArray();
        hashes.forEach(h -> out.add(Base64.getEncoder().encodeToString(h)));
        return out;
    }

    private static void json(RoutingContext ctx, JsonObject doc) {
        ctx.response().putHeader("Content-Type", JSON).end(doc.encode());
    }
}
