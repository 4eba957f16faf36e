package dev.grove.node.yank;

import dev.grove.dsse.Envelope;
import dev.grove.dsse.EnvelopeException;
import dev.grove.json.JsonException;
import dev.grove.node.RouteModule;
import dev.grove.node.documents.DocumentSchemas;
import dev.grove.node.documents.DocumentSchemas.Kind;
import dev.grove.node.documents.KeysetSignatures;
import dev.grove.crypto.Sha256;
import dev.grove.logentry.LogEntries;
import dev.grove.node.http.PathParams;
import dev.grove.node.http.ProblemException;
import dev.grove.node.log.LogAppender;
import dev.grove.node.namespace.NamespaceKeys;
import dev.grove.pkg.DocumentException;
import dev.grove.pkg.PackageName;
import dev.grove.pkg.PayloadTypes;
import dev.grove.pkg.Yank;
import dev.grove.semver.SemVer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/**
 * {@code POST /v1/packages/{namespace}/{name}/versions/{version}/yank}: a namespace withdraws a version from {@code latest}
 * with a statement signed by its keyset. The version stays fetchable; a yank cannot be undone, and repeating it is harmless.
 * The statement ({@code grove.yank/v2}) names the package digest: sent to a node where the version is other content, it
 * is refused (409) and changes nothing.
 */
public final class YankRoutes implements RouteModule {

    private static final String YANK = """
            UPDATE package_versions SET yanked = true, yank_reason = $4, yank_envelope = $5
             WHERE origin = '' AND namespace = $1 AND name = $2 AND version = $3 AND digest = $6 AND NOT yanked
            RETURNING digest""";

    private static final String STORED_DIGEST = """
            SELECT digest FROM package_versions WHERE origin = '' AND namespace = $1 AND name = $2 AND version = $3""";

    private final Pool pool;
    private final DocumentSchemas schemas;
    private final LogAppender log;

    /** @param log appends the {@code yank/v1} entry in the transaction that yanks (only when the version was not yanked) */
    public YankRoutes(Pool pool, DocumentSchemas schemas, LogAppender log) {
        this.pool = pool;
        this.schemas = schemas;
        this.log = log;
    }

    @Override
    public void mount(Router router, BodyHandler json) {
        router.post("/v1/packages/:namespace/:name/versions/:version/yank").handler(json).handler(this::yank);
    }

    private void yank(RoutingContext ctx) {
        PackageName name = PathParams.packageName(ctx);
        String version = ctx.pathParam("version");
        try {
            SemVer.parse(version);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("'" + version + "' is not a version: " + e.getMessage());
        }
        byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        schemas.check(Kind.ENVELOPE, "yank envelope", body);
        Envelope envelope;
        try {
            envelope = Envelope.parse(new String(body, java.nio.charset.StandardCharsets.UTF_8));
        } catch (EnvelopeException | JsonException e) {
            throw ProblemException.badRequest("yank envelope: " + e.getMessage());
        }
        NamespaceKeys.current(pool, name.namespace()).compose(keyset -> {
            if (keyset.isEmpty()) {
                return Future.failedFuture(ProblemException.notFound("namespace '" + name.namespace()
                        + "' does not exist on this node; nothing to yank"));
            }
            Yank yank;
            KeysetSignatures.verify(envelope, "yank of " + name + "@" + version, name.namespace(),
                    keyset.get().keys(), PayloadTypes.YANK);
            schemas.check(Kind.YANK, "yank statement", envelope.payload());
            try {
                yank = Yank.parse(envelope.payload());
            } catch (DocumentException | JsonException e) {
                return Future.failedFuture(ProblemException.badRequest("yank statement: " + e.getMessage()));
            }
            if (!yank.name().equals(name) || !yank.version().toString().equals(version)) {
                return Future.failedFuture(ProblemException.badRequest("the signed statement yanks " + yank.name() + "@"
                        + yank.version() + ", but it was sent for " + name + "@" + version));
            }
            // the statement yanks the content it names: where name@version is other content, it does nothing
            Tuple args = Tuple.of(name.namespace(), name.name(), version, yank.reason(), envelope.toJsonString(),
                    yank.digest().toString());
            return pool.withTransaction(tx -> tx.preparedQuery(YANK).execute(args).compose(rows -> rows.rowCount() == 1
                    ? log.append(tx, LogEntries.yank(name, version, Sha256.parse(rows.iterator().next().getString("digest")),
                            envelope)).map(index -> true)
                    : Future.succeededFuture(false)))
                    .compose(changed -> changed ? Future.succeededFuture(true)
                            : pool.preparedQuery(STORED_DIGEST).execute(Tuple.of(name.namespace(), name.name(), version))
                            .compose(found -> {
                                if (found.size() == 0) {
                                    return Future.failedFuture(ProblemException.notFound(name + "@" + version
                                            + " is not published on this node"));
                                }
                                String stored = found.iterator().next().getString("digest");
                                if (!stored.equals(yank.digest().toString())) {
                                    return Future.failedFuture(ProblemException.conflict("the signed statement yanks "
                                            + yank.digest() + ", but " + name + "@" + version + " on this node is "
                                            + stored + ": a yank applies only to the package it names"));
                                }
                                return Future.succeededFuture(false); // already yanked
                            }));
        }).onSuccess(changed -> ctx.response().putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("ref", name + "@" + version).put("yanked", true).put("changed", changed).encode()))
          .onFailure(ctx::fail);
    }
}
