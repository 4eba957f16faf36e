package dev.grove.node.yank;

import dev.grove.dsse.Envelope;
import dev.grove.dsse.EnvelopeException;
import dev.grove.json.JsonException;
import dev.grove.logentry.LogEntries;
import dev.grove.node.documents.DocumentSchemas;
import dev.grove.node.documents.DocumentSchemas.Kind;
import dev.grove.node.documents.KeysetSignatures;
import dev.grove.node.log.LogAppender;
import dev.grove.node.log.LogEntryId;
import dev.grove.node.namespace.NamespaceKeys;
import dev.grove.node.problem.ImmutableVersion;
import dev.grove.node.problem.InvalidDocument;
import dev.grove.node.problem.NotFound;
import dev.grove.pkg.DocumentException;
import dev.grove.pkg.PackageName;
import dev.grove.pkg.PayloadTypes;
import dev.grove.pkg.Yank;
import io.vertx.core.Future;
import java.util.Optional;
import io.vertx.sqlclient.Pool;
import java.nio.charset.StandardCharsets;

/**
 * Accepts a signed yank: checks the envelope's schema, the signature against the namespace's keyset, the statement's
 * schema and that it names the version it was sent for, then marks the version yanked and appends its {@code yank/v1}
 * log entry in one transaction. The statement ({@code grove.yank/v2}) names the package digest: where the version is
 * other content it changes nothing and is refused ({@link ImmutableVersion}).
 */
public final class Yanks {

    private final Pool pool;
    private final DocumentSchemas schemas;
    private final LogAppender log;

    /** @param log appends the {@code yank/v1} entry in the transaction that yanks (only when the version was not yanked) */
    public Yanks(Pool pool, DocumentSchemas schemas, LogAppender log) {
        this.pool = pool;
        this.schemas = schemas;
        this.log = log;
    }

    /**
     * Yanks {@code name@version} with the envelope in {@code body}.
     *
     * @param version a valid SemVer (the caller checked it)
     * @return fails with {@link InvalidDocument}, {@link dev.grove.node.problem.ForbiddenSigner},
     *     {@link dev.grove.node.problem.SignatureRejected}, {@link NotFound} (no such namespace or version) or
     *     {@link ImmutableVersion}
     */
    public Future<YankOutcome> yank(PackageName name, String version, byte[] body) {
        Envelope envelope;
        try {
            envelope = parseEnvelope(body);
        } catch (InvalidDocument e) {
            return Future.failedFuture(e);
        }
        return NamespaceKeys.current(pool, name.namespace()).compose(keyset -> {
            if (keyset.isEmpty()) {
                return Future.failedFuture(new NotFound("namespace '" + name.namespace()
                        + "' does not exist on this node; nothing to yank"));
            }
            KeysetSignatures.verify(envelope, "yank of " + name + "@" + version, name.namespace(),
                    keyset.get().keys(), PayloadTypes.YANK);
            Yank yank = parseStatement(envelope, name, version);
            return pool.withTransaction(tx -> YankStore.yank(tx, name, version, yank, envelope)
                            .compose(yanked -> yanked.isPresent()
                                    ? log.append(tx, LogEntries.yank(name, version, yanked.get(), envelope))
                                            .map(Optional::of)
                                    : Future.succeededFuture(Optional.<LogEntryId>empty())))
                    // committed: answer once the entry is numbered, as a publish does (bounded; durable either way)
                    .compose(logged -> logged.isPresent() ? log.indexOf(logged.get()).map(index -> true)
                            : unchanged(name, version, yank));
        }).map(changed -> new YankOutcome(name, version, changed));
    }

    private Envelope parseEnvelope(byte[] body) {
        schemas.check(Kind.ENVELOPE, "yank envelope", body);
        try {
            return Envelope.parse(new String(body, StandardCharsets.UTF_8));
        } catch (EnvelopeException | JsonException e) {
            throw new InvalidDocument("yank envelope: " + e.getMessage(), e);
        }
    }

    private Yank parseStatement(Envelope envelope, PackageName name, String version) {
        schemas.check(Kind.YANK, "yank statement", envelope.payload());
        Yank yank;
        try {
            yank = Yank.parse(envelope.payload());
        } catch (DocumentException | JsonException e) {
            throw new InvalidDocument("yank statement: " + e.getMessage(), e);
        }
        if (!yank.name().equals(name) || !yank.version().toString().equals(version)) {
            throw new InvalidDocument("the signed statement yanks " + yank.name() + "@" + yank.version()
                    + ", but it was sent for " + name + "@" + version);
        }
        return yank;
    }

    /** Why nothing changed: the version is not here, is other content, or was already yanked (success). */
    private Future<Boolean> unchanged(PackageName name, String version, Yank yank) {
        return YankStore.storedDigest(pool, name, version).compose(stored -> {
            if (stored.isEmpty()) {
                return Future.failedFuture(new NotFound(name + "@" + version + " is not published on this node"));
            }
            if (!stored.get().equals(yank.digest())) {
                return Future.failedFuture(new ImmutableVersion("the signed statement yanks " + yank.digest() + ", but "
                        + name + "@" + version + " on this node is " + stored.get()
                        + ": a yank applies only to the package it names"));
            }
            return Future.succeededFuture(false); // already yanked
        });
    }
}
