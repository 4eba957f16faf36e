package dev.grove.node.mirror;

import dev.grove.node.feature.RouteModule;
import dev.grove.node.http.ProblemException;
import dev.grove.node.http.Representation;
import dev.grove.node.packages.PackageRoutes;
import dev.grove.tlog.TileFormatException;
import dev.grove.tlog.TilePath;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The mirror over HTTP.
 *
 * <pre>
 * GET /v1/peers                                          the sources followed ({@code peers}: state and why, the log's
 *                                                        tree size, last verified checkpoint, lag, the source's fault
 *                                                        and last contact; {@code followedHere}: whether this
 *                                                        process follows it, of those sharing the database) and
 *                                                        the logs they serve ({@code logs}: one
 *                                                        per origin, with its sources)
 * GET /v1/peers/evidence[?peer=URL]                      what peers were proven to do, as grove.evidence/v1 records
 *                                                        anyone holding the peer's key can check offline
 * GET /v1/origins/{origin}/packages/{ns}/{name}[/versions/{version}]
 *                                                        another node's package and its versions, as mirrored
 *                                                        ({origin} URL-encoded, e.g. a.example%2Fgrove-log): the
 *                                                        package reads of {@link PackageRoutes}, for that origin
 * GET /v1/origins/{origin}/namespaces/{ns}               that namespace's keyset and history as mirrored
 * GET /v1/origins/{origin}/log/checkpoint                the origin's latest checkpoint this node holds every entry of,
 *                                                        as the origin signed it (text/plain)
 * GET /v1/origins/{origin}/log/tile/&lt;L&gt;/&lt;N&gt;[.p/&lt;W&gt;]     the origin's hash tile, the bytes the origin serves at
 *                                                        /log/tile/...
 * GET /v1/origins/{origin}/log/tile/entries/&lt;N&gt;[.p/&lt;W&gt;] the origin's entry bundle, byte for byte (404 for entries
 *                                                        accepted before their bytes were kept)
 * </pre>
 */
final class MirrorRoutes implements RouteModule {

    private final Pool pool;
    private final PeerStore peers;
    private final PackageRoutes packages;
    private final MirrorLog log;
    private final MirrorReads reads;
    private final Predicate<String> followedHere;

    /**
     * @param followedHere whether this process follows the source with this URL now (it holds its log's follow lock)
     */
    MirrorRoutes(Pool pool, PeerStore peers, PackageRoutes packages, MirrorLog log, Predicate<String> followedHere) {
        this.followedHere = followedHere;
        this.pool = pool;
        this.peers = peers;
        this.packages = packages;
        this.log = log;
        this.reads = new MirrorReads(pool);
    }

    @Override
    public void mount(Router router, BodyHandler json) {
        router.get("/v1/peers").handler(this::peers);
        router.get("/v1/peers/evidence").handler(this::evidence);
        // mounted in a registry verticle's start, on its context
        router.get("/v1/origins/:origin/*").subRouter(origins(Vertx.currentContext().owner()));
        router.get("/v1/origins/*").handler(MirrorRoutes::noSuchResource);
    }

    /**
     * The reads of one origin's copy, under {@code /v1/origins/:origin/}: the origin is the mount's path parameter,
     * one URL-encoded segment ({@code a.example%2Fgrove-log}), decoded by the router. A path under
     * {@code /v1/origins/} that none of them matches goes back to the node's router, to {@link #noSuchResource}.
     */
    private Router origins(Vertx vertx) {
        Router origin = Router.router(vertx);
        origin.get("/packages/*").handler(MirrorRoutes::exact);
        packages.mountOrigin(origin);
        origin.get("/namespaces/:namespace").handler(MirrorRoutes::exact).handler(this::namespace);
        origin.get("/log/checkpoint").handler(MirrorRoutes::exact).handler(this::checkpoint);
        origin.get("/log/tile/*").handler(this::tile);
        return origin;
    }

    /** The router also matches these paths with a trailing '/': such a path names nothing here. */
    private static void exact(RoutingContext ctx) {
        if (ctx.request().path().endsWith("/")) {
            noSuchResource(ctx);
        }
        ctx.next();
    }

    private void peers(RoutingContext ctx) {
        peers.list(pool).onSuccess(list -> {
            for (Object o : list) {
                JsonObject source = (JsonObject) o;
                source.put("followedHere", followedHere.test(source.getString("url")));
            }
            json(ctx, new JsonObject().put("peers", list).put("logs", logs(list)));
        }).onFailure(ctx::fail);
    }

    /**
     * The followed logs, one per origin, with their sources in the order listed: the log's state is its own (quarantined,
     * behind, stale, caught up) unless every source is at fault, then the first source's.
     */
    static JsonArray logs(JsonArray sources) {
        java.util.Map<String, JsonObject> byOrigin = new java.util.LinkedHashMap<>();
        for (Object o : sources) {
            JsonObject s = (JsonObject) o;
            String origin = s.getString("origin");
            if (origin == null) {
                continue;
            }
            JsonObject log = byOrigin.computeIfAbsent(origin, k -> new JsonObject()
                    .put("origin", origin)
                    .put("logKey", s.getString("logKey"))
                    .put("status", s.getString("status"))
                    .put("reason", s.getString("reason"))
                    .put("state", s.getString("logState"))
                    .put("stateReason", s.getString("logStateReason"))
                    .put("treeSize", s.getValue("treeSize"))
                    .put("nextEntry", s.getValue("nextEntry"))
                    .put("servedSize", s.getValue("servedSize"))
                    .put("lagEntries", s.getValue("lagEntries"))
                    .put("sources", new JsonArray()));
            log.getJsonArray("sources").add(new JsonObject()
                    .put("url", s.getString("url"))
                    .put("state", s.getString("state"))
                    .put("lastContact", s.getValue("lastContact"))
                    .put("lastServed", s.getValue("lastServed"))
                    .put("fault", s.getValue("fault")));
        }
        JsonArray out = new JsonArray();
        for (JsonObject log : byOrigin.values()) {
            JsonArray list = log.getJsonArray("sources");
            boolean allFaulted = !list.isEmpty() && list.stream().allMatch(x -> ((JsonObject) x).getValue("fault") != null);
            if (allFaulted && !"quarantined".equals(log.getString("state"))) {
                JsonObject first = list.getJsonObject(0);
                log.put("state", first.getString("state")).put("stateReason", "every source is at fault; "
                        + first.getString("url") + ": " + first.getJsonObject("fault").getString("reason"));
            }
            out.add(log);
        }
        return out;
    }

    private void evidence(RoutingContext ctx) {
        Optional<String> peer = ctx.queryParam("peer").stream().findFirst();
        peers.evidence(peer).onSuccess(list -> json(ctx, new JsonObject().put("evidence", list))).onFailure(ctx::fail);
    }

    private static void noSuchResource(RoutingContext ctx) {
        throw ProblemException.notFound("no such resource under /v1/origins/: use "
                + "/v1/origins/{origin}/packages/{namespace}/{name}[/versions/{version}] or "
                + "/v1/origins/{origin}/namespaces/{namespace} or /v1/origins/{origin}/log/...");
    }

    private static String origin(RoutingContext ctx) {
        return ctx.pathParam("origin");
    }

    /** The mirrored log is public like the node's own ({@code /log/}): any origin may read it. */
    private static void publicLog(RoutingContext ctx, String cacheControl) {
        ctx.response().putHeader("Access-Control-Allow-Origin", "*").putHeader("Cache-Control", cacheControl);
    }

    private void checkpoint(RoutingContext ctx) {
        String origin = origin(ctx);
        log.checkpoint(origin).onSuccess(cp -> {
            if (cp.isEmpty()) {
                ctx.fail(ProblemException.notFound("this node serves no log of " + origin));
                return;
            }
            ctx.response().putHeader("Access-Control-Allow-Origin", "*");
            Representation.text(cp.get().note()).send(ctx, Representation.REVALIDATE);
        }).onFailure(ctx::fail);
    }

    /** The tile's path ({@code tile/...}) as the request spelled it, after the origin's {@code /log/}. */
    private void tile(RoutingContext ctx) {
        String origin = origin(ctx);
        // the origin is one segment: the first /log/ after it is the log's
        String spelled = ctx.request().path().indexOf("/log/", "/v1/origins/".length()) >= 0 ? ctx.request().path()
                : ctx.normalizedPath();
        String path = spelled.substring(spelled.indexOf("/log/", "/v1/origins/".length()) + "/log/".length());
        TilePath tile;
        try {
            tile = TilePath.parse(path);
        } catch (TileFormatException e) {
            throw ProblemException.notFound(e.getMessage());
        }
        log.tile(origin, tile).onSuccess(read -> {
            if (read instanceof MirrorLog.Read.Missing missing) {
                ctx.fail(ProblemException.notFound(missing.reason()));
                return;
            }
            publicLog(ctx, tile.isPartial() ? "public, max-age=60" : "public, max-age=31536000, immutable");
            ctx.response().putHeader("Content-Type", "application/octet-stream")
                    .end(Buffer.buffer(((MirrorLog.Read.Found) read).bytes()));
        }).onFailure(ctx::fail);
    }

    private void namespace(RoutingContext ctx) {
        String origin = origin(ctx);
        String namespace = ctx.pathParam("namespace");
        reads.namespace(origin, namespace).compose(doc -> doc.isEmpty()
                        ? Future.<JsonObject>failedFuture(ProblemException.notFound("namespace '" + namespace + "' of "
                        + origin + " is not held by this node"))
                        : Future.succeededFuture(doc.get()))
                .onSuccess(doc -> Representation.json(doc).send(ctx, Representation.REVALIDATE)).onFailure(ctx::fail);
    }

    private static void json(RoutingContext ctx, JsonObject doc) {
        ctx.response().putHeader("Content-Type", "application/json").end(doc.encode());
    }
}
