package dev.grove.node.namespace;

import dev.grove.crypto.Ed25519PublicKey;
import dev.grove.crypto.KeyId;
import dev.grove.crypto.Sha256;
import dev.grove.dsse.Envelope;
import dev.grove.dsse.EnvelopeException;
import dev.grove.json.JsonException;
import dev.grove.node.RouteModule;
import dev.grove.node.documents.DocumentSchemas;
import dev.grove.node.documents.DocumentSchemas.Kind;
import dev.grove.node.documents.KeysetSignatures;
import dev.grove.node.http.ProblemException;
import dev.grove.node.log.LogAppender;
import dev.grove.pkg.DocumentException;
import dev.grove.pkg.KeysetChange;
import dev.grove.pkg.PayloadTypes;
import dev.grove.pkg.PublicKeyEntry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** A namespace's keyset and its history; keyset changes signed by the current keyset. */
public final class NamespaceRoutes implements RouteModule {

    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9][a-z0-9-]{0,38}");

    private final Pool pool;
    private final DocumentSchemas schemas;
    private final LogAppender log;

    /** @param log appends each keyset change's {@code keyset/v1} entry in the change's transaction */
    public NamespaceRoutes(Pool pool, DocumentSchemas schemas, LogAppender log) {
        this.pool = pool;
        this.schemas = schemas;
        this.log = log;
    }

    @Override
    public void mount(Router router, BodyHandler json) {
        router.get("/v1/namespaces/:namespace").handler(this::show);
        router.post("/v1/namespaces/:namespace/keyset").handler(json).handler(this::change);
    }

    private void show(RoutingContext ctx) {
        String namespace = namespace(ctx);
        NamespaceKeys.current(pool, namespace).compose(keyset -> keyset.isEmpty()
                ? Future.failedFuture(ProblemException.notFound("namespace '" + namespace + "' does not exist on this node"))
                : NamespaceKeys.history(pool, namespace).map(history -> new JsonObject()
                        .put("namespace", namespace)
                        .put("sequence", keyset.get().sequence())
                        .put("keys", NamespaceKeys.keysJson(keyset.get()))
                        .put("history", history)))
                .onSuccess(doc -> ctx.response().putHeader("Content-Type", "application/json").end(doc.encode()))
                .onFailure(ctx::fail);
    }

    private void change(RoutingContext ctx) {
        String namespace = namespace(ctx);
        byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        schemas.check(Kind.ENVELOPE, "keyset envelope", body);
        Envelope envelope;
        try {
            envelope = Envelope.parse(new String(body, StandardCharsets.UTF_8));
        } catch (EnvelopeException | JsonException e) {
            throw ProblemException.badRequest("keyset envelope: " + e.getMessage());
        }
        NamespaceKeys.current(pool, namespace).compose(current -> {
            if (current.isEmpty()) {
                return Future.failedFuture(ProblemException.notFound("namespace '" + namespace
                        + "' does not exist on this node; its first publish binds its keyset"));
            }
            Keyset next;
            KeysetSignatures.verify(envelope, "keyset change", namespace, current.get().keys(), PayloadTypes.KEYSET);
            schemas.check(Kind.KEYSET, "keyset change", envelope.payload());
            try {
                next = next(KeysetChange.parse(envelope.payload()), namespace, current.get());
            } catch (DocumentException | JsonException e) {
                return Future.failedFuture(ProblemException.badRequest("keyset change: " + e.getMessage()));
            }
            return pool.withTransaction(tx -> NamespaceKeys.lock(tx, namespace).compose(sequence -> {
                if (sequence.isEmpty() || sequence.get() != current.get().sequence()) {
                    return Future.failedFuture(ProblemException.conflict("the keyset of namespace '" + namespace
                            + "' changed at the same time; fetch it again and re-sign"));
                }
                return NamespaceKeys.replace(tx, next, envelope.toJsonString(), log);
            })).map(v -> next);
        }).onSuccess(next -> ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                        .put("namespace", namespace)
                        .put("sequence", next.sequence())
                        .put("keys", NamespaceKeys.keysJson(next)).encode()))
          .onFailure(ctx::fail);
    }

    private static Keyset next(KeysetChange change, String namespace, Keyset current) {
        if (!change.namespace().equals(namespace)) {
            throw ProblemException.badRequest("the signed change is for namespace '" + change.namespace()
                    + "', but it was sent for '" + namespace + "'");
        }
        if (change.sequence() != current.sequence() + 1) {
            throw ProblemException.conflict("keyset change has sequence " + change.sequence() + ", but the next change of '"
                    + namespace + "' must have sequence " + (current.sequence() + 1)
                    + " (a replayed or out-of-date change is refused)");
        }
        Sha256 currentDigest = KeysetChange.keysetDigest(namespace, current.sequence(), current.keys().keySet());
        if (!change.previous().equals(currentDigest)) {
            // signed against another keyset of the namespace (another node's, or a history this node never had)
            throw ProblemException.conflict("the signed change replaces keyset " + change.previous() + ", but the "
                    + "keyset of '" + namespace + "' on this node (sequence " + current.sequence() + ") is "
                    + currentDigest + ": a keyset change applies only to the keyset it was signed against; fetch this "
                    + "node's keyset and sign a change of it");
        }
        if (change.keys().isEmpty()) {
            throw ProblemException.badRequest("a keyset change must keep at least one key");
        }
        Map<KeyId, Ed25519PublicKey> keys = new LinkedHashMap<>();
        for (PublicKeyEntry entry : change.keys()) {
            keys.put(entry.keyid(), entry.publicKey());
        }
        return new Keyset(namespace, change.sequence(), keys);
    }

    private static String namespace(RoutingContext ctx) {
        String namespace = ctx.pathParam("namespace");
        if (!NAMESPACE.matcher(namespace).matches()) {
            throw ProblemException.badRequest("'" + namespace + "' is not a namespace: use lowercase letters, digits and '-'");
        }
        return namespace;
    }
}
