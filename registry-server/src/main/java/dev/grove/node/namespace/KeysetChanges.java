package dev.grove.node.namespace;

import dev.grove.crypto.Ed25519PublicKey;
import dev.grove.crypto.KeyId;
import dev.grove.crypto.Sha256;
import dev.grove.dsse.Envelope;
import dev.grove.dsse.EnvelopeException;
import dev.grove.json.JsonException;
import dev.grove.node.documents.DocumentSchemas;
import dev.grove.node.documents.DocumentSchemas.Kind;
import dev.grove.node.documents.KeysetSignatures;
import dev.grove.node.log.LogAppender;
import dev.grove.node.problem.Conflict;
import dev.grove.node.problem.InvalidDocument;
import dev.grove.node.problem.NotFound;
import dev.grove.pkg.DocumentException;
import dev.grove.pkg.KeysetChange;
import dev.grove.pkg.PayloadTypes;
import dev.grove.pkg.PublicKeyEntry;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Accepts a keyset change signed by a namespace's current keyset: checks the envelope's schema, the signature, the
 * change's schema, that it is for this namespace, has the next sequence and replaces the keyset this node holds, then
 * replaces the keyset and appends its {@code keyset/v1} log entry in one transaction, refusing a change that raced
 * another ({@link Conflict}).
 */
public final class KeysetChanges {

    private final Pool pool;
    private final DocumentSchemas schemas;
    private final LogAppender log;

    /** @param log appends each keyset change's {@code keyset/v1} entry in the change's transaction */
    public KeysetChanges(Pool pool, DocumentSchemas schemas, LogAppender log) {
        this.pool = pool;
        this.schemas = schemas;
        this.log = log;
    }

    /**
     * Applies the change in {@code body} to {@code namespace}.
     *
     * @return the new keyset; fails with {@link InvalidDocument}, {@link dev.grove.node.problem.ForbiddenSigner},
     *     {@link dev.grove.node.problem.SignatureRejected}, {@link NotFound} (no such namespace) or {@link Conflict}
     */
    public Future<Keyset> change(String namespace, byte[] body) {
        Envelope envelope;
        try {
            envelope = parseEnvelope(body);
        } catch (InvalidDocument e) {
            return Future.failedFuture(e);
        }
        return NamespaceKeys.current(pool, namespace).compose(current -> {
            if (current.isEmpty()) {
                return Future.failedFuture(new NotFound("namespace '" + namespace
                        + "' does not exist on this node; its first publish binds its keyset"));
            }
            KeysetSignatures.verify(envelope, "keyset change", namespace, current.get().keys(), PayloadTypes.KEYSET);
            schemas.check(Kind.KEYSET, "keyset change", envelope.payload());
            KeysetChange change;
            try {
                change = KeysetChange.parse(envelope.payload());
            } catch (DocumentException | JsonException e) {
                throw new InvalidDocument("keyset change: " + e.getMessage(), e);
            }
            Keyset next = next(change, namespace, current.get());
            return pool.withTransaction(tx -> NamespaceKeys.lock(tx, namespace).compose(sequence -> {
                if (sequence.isEmpty() || sequence.get() != current.get().sequence()) {
                    return Future.failedFuture(new Conflict("the keyset of namespace '" + namespace
                            + "' changed at the same time; fetch it again and re-sign"));
                }
                return NamespaceKeys.replace(tx, next, envelope.toJsonString(), log);
            })).compose(log::indexOf).map(v -> next);
        });
    }

    private Envelope parseEnvelope(byte[] body) {
        schemas.check(Kind.ENVELOPE, "keyset envelope", body);
        try {
            return Envelope.parse(new String(body, StandardCharsets.UTF_8));
        } catch (EnvelopeException | JsonException e) {
            throw new InvalidDocument("keyset envelope: " + e.getMessage(), e);
        }
    }

    private static Keyset next(KeysetChange change, String namespace, Keyset current) {
        if (!change.namespace().equals(namespace)) {
            throw new InvalidDocument("the signed change is for namespace '" + change.namespace()
                    + "', but it was sent for '" + namespace + "'");
        }
        if (change.sequence() != current.sequence() + 1) {
            throw new Conflict("keyset change has sequence " + change.sequence() + ", but the next change of '"
                    + namespace + "' must have sequence " + (current.sequence() + 1)
                    + " (a replayed or out-of-date change is refused)");
        }
        Sha256 currentDigest = KeysetChange.keysetDigest(namespace, current.sequence(), current.keys().keySet());
        if (!change.previous().equals(currentDigest)) {
            // signed against another keyset of the namespace (another node's, or a history this node never had)
            throw new Conflict("the signed change replaces keyset " + change.previous() + ", but the "
                    + "keyset of '" + namespace + "' on this node (sequence " + current.sequence() + ") is "
                    + currentDigest + ": a keyset change applies only to the keyset it was signed against; fetch this "
                    + "node's keyset and sign a change of it");
        }
        if (change.keys().isEmpty()) {
            throw new InvalidDocument("a keyset change must keep at least one key");
        }
        Map<KeyId, Ed25519PublicKey> keys = new LinkedHashMap<>();
        for (PublicKeyEntry entry : change.keys()) {
            keys.put(entry.keyid(), entry.publicKey());
        }
        return new Keyset(namespace, change.sequence(), keys);
    }
}
