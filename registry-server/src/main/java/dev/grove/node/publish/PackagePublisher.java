package dev.grove.node.publish;

import dev.grove.compat.InterfaceCompatibility;
import dev.grove.crypto.Ed25519PublicKey;
import dev.grove.crypto.KeyId;
import dev.grove.dsse.Envelope;
import dev.grove.dsse.EnvelopeException;
import dev.grove.dsse.Signature;
import dev.grove.dsse.SignatureException;
import dev.grove.json.JsonException;
import dev.grove.node.blob.BlobStore;
import dev.grove.node.documents.DocumentSchemas;
import dev.grove.node.documents.KeysetSignatures;
import dev.grove.node.documents.DocumentSchemas.Kind;
import dev.grove.logentry.LogEntries;
import dev.grove.node.lineage.LineageReproduction;
import dev.grove.node.log.LogAppender;
import dev.grove.node.log.LogEntryId;
import dev.grove.node.namespace.Keyset;
import dev.grove.node.namespace.NamespaceKeys;
import dev.grove.node.packages.VersionRows;
import dev.grove.node.problem.Conflict;
import dev.grove.node.problem.ImmutableVersion;
import dev.grove.node.problem.IncompatibleRelease;
import dev.grove.node.problem.InvalidDocument;
import dev.grove.node.problem.MissingArtifact;
import dev.grove.node.problem.SignatureRejected;
import dev.grove.pkg.Artifact;
import dev.grove.pkg.Bundle;
import dev.grove.pkg.BundleVerifier;
import dev.grove.pkg.Contract;
import dev.grove.pkg.DocumentException;
import dev.grove.pkg.ParsedBundle;
import dev.grove.pkg.PublicKeyEntry;
import dev.grove.pkg.VerifiedPackage;
import dev.grove.semver.SemVer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Accepts a signed bundle: checks the schemas, the signatures against the namespace's keyset, the artifacts in the blob
 * store, immutability and interface compatibility, then stores the version in one transaction. Nothing is written unless
 * every check passes. Parsing and signature checks run on worker threads, never on the event loop. Once the version
 * and its log entry committed, the publish waits (bounded) for the entry's index from the log's sequencer.
 */
public final class PackagePublisher {

    private final Vertx vertx;
    private final Pool pool;
    private final BlobStore blobs;
    private final DocumentSchemas schemas;
    private final LogAppender log;

    /** @param log appends the {@code package/v1} entry (and a new namespace's {@code keyset/v1}) in the publish transaction */
    public PackagePublisher(Vertx vertx, Pool pool, BlobStore blobs, DocumentSchemas schemas, LogAppender log) {
        this.vertx = vertx;
        this.pool = pool;
        this.blobs = blobs;
        this.schemas = schemas;
        this.log = log;
    }

    /** Publishes the bundle in {@code body} (the JSON of {@code grove.bundle.json}). */
    public Future<PublishOutcome> publish(byte[] body) {
        return publish(body, Steps.NONE);
    }

    /** What a publish has parsed and verified, shown to tests that follow what is done with the parsed documents. */
    interface Steps {
        Steps NONE = new Steps() {
        };

        default void parsed(ParsedBundle bundle) {
        }

        default void verified(VerifiedPackage pkg) {
        }
    }

    /** {@link #publish(byte[])}, showing {@code steps} the bundle once parsed and the package once verified. */
    Future<PublishOutcome> publish(byte[] body, Steps steps) {
        // each untrusted document is read by the strict reader once (the bundle here, each payload in ParsedBundle) and
        // the parsed value handed on; Jackson reads each once more, for the schema validator only (see DocumentSchemas)
        return vertx.executeBlocking(() -> {
            Bundle bundle = parseBundle(body);
            requireEverySignersKey(bundle);
            ParsedBundle documents = parseContract(bundle);
            steps.parsed(documents);
            return documents;
        }, false).compose(documents -> verifyAndStore(documents, steps, true));
    }

    /**
     * Verifies against the namespace's keyset as stored now and stores. The first publishes into a new namespace can
     * race (on one process or several): the first to commit binds the namespace to its keys, and each other one is
     * checked again, once, against the keyset it lost to, so that a publish signed by those same keys succeeds and
     * one signed by others is refused as a signer outside the keyset.
     */
    private Future<PublishOutcome> verifyAndStore(ParsedBundle documents, Steps steps, boolean firstTry) {
        String namespace = documents.contract().name().namespace();
        return NamespaceKeys.current(pool, namespace).compose(existing -> vertx.executeBlocking(() -> {
            VerifiedPackage verified = verify(documents, namespace, existing);
            ParsedBundle served = VersionRows.servedBundle(documents, verified);
            return new Checked(documents, verified, served, VersionRows.verifiesOnItsOwn(served));
        }, false).compose(checked -> {
            steps.verified(checked.pkg());
            LineageReproduction reproduction = new LineageReproduction(pool, blobs);
            return checkArtifacts(checked.pkg().contract())
                    .compose(v -> reproduction.check(checked.pkg()))
                    .compose(lineage -> store(checked, existing, lineage))
                    .recover(failure -> concurrentWinner(failure, checked.pkg()))
                    .compose(this::sequenced);
        })).recover(failure -> {
            if (!(failure instanceof BoundMeanwhile)) {
                return Future.failedFuture(failure);
            }
            return firstTry ? verifyAndStore(documents, steps, false) : Future.failedFuture(new Conflict(
                    "namespace '" + namespace + "' was bound to a keyset at the same time; retry"));
        });
    }

    /** Another transaction bound the namespace this publish found unbound: nothing was written; check again. */
    private static final class BoundMeanwhile extends RuntimeException {
        BoundMeanwhile() {
            super("the namespace was bound to a keyset meanwhile", null, false, false);
        }
    }

    /**
     * A bundle whose signatures verified: its documents, the package, the bundle as the node would serve and log it, and
     * whether that verifies with nothing but itself (checked on the worker with the rest, used only when it is stored).
     */
    private record Checked(ParsedBundle documents, VerifiedPackage pkg, ParsedBundle served, boolean servedVerifies) {
    }

    /** Where the version's log entry is, as its transaction left it. */
    private sealed interface LogPosition {
    }

    /** Sequenced at this index. */
    private record Indexed(long index) implements LogPosition {
    }

    /** Committed, its index assigned by the sequencer after the commit. */
    private record Pending(LogEntryId entry) implements LogPosition {
    }

    /** A version published before the node kept a log. */
    private record Unlogged() implements LogPosition {
    }

    /** What the publish stored (or found stored). */
    private record Stored(VerifiedPackage pkg, boolean created, boolean repaired, LogPosition position) {
    }

    /** The outcome, once the entry has its index (or the sequencer's bound passed: then the entry is durable, unnumbered). */
    private Future<PublishOutcome> sequenced(Stored stored) {
        if (stored.position() instanceof Pending pending) {
            return log.indexOf(pending.entry()).map(index -> outcome(stored.pkg(), stored.created(), stored.repaired(),
                    index, index.isEmpty()));
        }
        OptionalLong index = stored.position() instanceof Indexed i ? OptionalLong.of(i.index()) : OptionalLong.empty();
        return Future.succeededFuture(outcome(stored.pkg(), stored.created(), stored.repaired(), index, false));
    }

    /** The position of the entry a stored row (columns {@code log_index}, {@code log_entry}) records. */
    private static LogPosition position(Row row) {
        Long index = row.getLong("log_index");
        if (index != null) {
            return new Indexed(index);
        }
        Long entry = row.getLong("log_entry");
        return entry == null ? new Unlogged() : new Pending(new LogEntryId(entry));
    }

    private Bundle parseBundle(byte[] body) {
        schemas.check(Kind.BUNDLE, "bundle", body);
        Bundle bundle;
        try {
            bundle = Bundle.parse(body);
        } catch (JsonException | EnvelopeException | DocumentException | IllegalArgumentException e) {
            throw new InvalidDocument("bundle: " + e.getMessage(), e);
        }
        schemas.check(Kind.CONTRACT, "contract", bundle.contract().payload());
        schemas.check(Kind.LINEAGE, "lineage card", bundle.lineage().payload());
        schemas.check(Kind.EVALUATION, "evaluation card", bundle.evaluation().payload());
        return bundle;
    }

    /**
     * Refuses a bundle that does not carry the public key of every key that signed one of its envelopes. A client
     * verifies a version with the keys its bundle carries: without them, a version whose signatures the node checked
     * against the namespace's keyset could never be verified by anyone else (and whoever holds a public bundle could
     * publish it keyless on another node, making the version there unpullable for good).
     */
    static void requireEverySignersKey(Bundle bundle) {
        Set<String> carried = new HashSet<>();
        for (PublicKeyEntry key : bundle.keys()) {
            carried.add(key.keyid().hex());
        }
        Map<String, Envelope> envelopes = new LinkedHashMap<>();
        envelopes.put("contract", bundle.contract());
        envelopes.put("lineage card", bundle.lineage());
        envelopes.put("evaluation card", bundle.evaluation());
        for (Map.Entry<String, Envelope> e : envelopes.entrySet()) {
            for (Signature signature : e.getValue().signatures()) {
                if (!carried.contains(signature.keyid())) {
                    throw new InvalidDocument("the " + e.getKey() + " is signed by key " + signature.keyid()
                            + ", but the bundle's keys carry no public key for it; list the public key of every "
                            + "signer in keys (grove publish does), so that clients can verify what they pull");
                }
            }
        }
    }

    private static ParsedBundle parseContract(Bundle bundle) {
        try {
            return ParsedBundle.parse(bundle);
        } catch (JsonException | DocumentException | IllegalArgumentException e) {
            throw new InvalidDocument("contract: " + e.getMessage(), e);
        }
    }

    /**
     * Verifies against the namespace's keyset, or, for a namespace nobody has published into yet, against the keys the
     * bundle carries (trust on first use).
     */
    private static VerifiedPackage verify(ParsedBundle documents, String namespace, Optional<Keyset> existing) {
        Bundle bundle = documents.bundle();
        Map<KeyId, Ed25519PublicKey> trusted = new LinkedHashMap<>();
        if (existing.isPresent()) {
            trusted.putAll(existing.get().keys());
            // a signer outside the keyset is forbidden; a signature that does not verify is rejected, below
            KeysetSignatures.requireKeysetSigner(bundle.contract(), "contract", namespace, trusted);
            KeysetSignatures.requireKeysetSigner(bundle.lineage(), "lineage card", namespace, trusted);
            KeysetSignatures.requireKeysetSigner(bundle.evaluation(), "evaluation card", namespace, trusted);
        } else {
            for (PublicKeyEntry entry : bundle.keys()) {
                trusted.put(entry.keyid(), entry.publicKey());
            }
        }
        try {
            return BundleVerifier.verify(documents, trusted);
        } catch (SignatureException e) {
            throw new SignatureRejected(e.getMessage(), e);
        } catch (DocumentException | JsonException e) {
            throw new InvalidDocument(e.getMessage(), e);
        }
    }

    private Future<Void> checkArtifacts(Contract contract) {
        List<Future<Void>> checks = new ArrayList<>();
        for (Artifact artifact : contract.artifacts()) {
            checks.add(blobs.stat(artifact.digest()).compose(info -> {
                if (info.isEmpty()) {
                    return Future.failedFuture(new MissingArtifact("artifact '" + artifact.path() + "' ("
                            + artifact.digest() + ") has not been uploaded; PUT its bytes to /v1/blobs/"
                            + artifact.digest() + " first"));
                }
                if (info.get().size() != artifact.size()) {
                    return Future.failedFuture(new MissingArtifact("artifact '" + artifact.path()
                            + "' is " + info.get().size() + " bytes in the blob store, but the contract says "
                            + artifact.size()));
                }
                return Future.succeededFuture();
            }));
        }
        return Future.all(checks).mapEmpty();
    }

    private Future<Stored> store(Checked checked, Optional<Keyset> existing, LineageReproduction.Outcome lineage) {
        ParsedBundle documents = checked.documents();
        VerifiedPackage pkg = checked.pkg();
        Bundle bundle = documents.bundle();
        Contract contract = pkg.contract();
        String namespace = contract.name().namespace();
        return pool.withTransaction(tx -> PublishStore.lockPackage(tx, contract.name())
                .compose(v -> NamespaceKeys.lockShared(tx, namespace))
                .compose(sequence -> ensureKeyset(tx, namespace, bundle, pkg, existing, sequence, log))
                .compose(v -> sameVersion(tx, checked, log))
                .compose(already -> already.isPresent()
                        ? Future.succeededFuture(already.get())
                        : checkCompatibility(tx, contract).compose(v -> insert(tx, checked, lineage, log))));
    }

    private static Future<Void> ensureKeyset(SqlConnection tx, String namespace, Bundle bundle, VerifiedPackage pkg,
                                             Optional<Keyset> verifiedAgainst, Optional<Long> lockedSequence,
                                             LogAppender log) {
        if (verifiedAgainst.isPresent()) {
            if (lockedSequence.isEmpty() || lockedSequence.get() != verifiedAgainst.get().sequence()) {
                return Future.failedFuture(new Conflict("the keyset of namespace '" + namespace
                        + "' changed while this publish was being checked; retry"));
            }
            return Future.succeededFuture();
        }
        if (lockedSequence.isPresent()) {
            return Future.failedFuture(new BoundMeanwhile());
        }
        Map<KeyId, Ed25519PublicKey> signers = new LinkedHashMap<>();
        for (PublicKeyEntry entry : bundle.keys()) {
            if (pkg.signers().contains(entry.keyid())) {
                signers.put(entry.keyid(), entry.publicKey());
            }
        }
        return NamespaceKeys.bind(tx, new Keyset(namespace, 1, signers), log).compose(bound -> bound.isPresent()
                ? Future.<Void>succeededFuture() : Future.failedFuture(new BoundMeanwhile()));
    }

    /**
     * The outcome when this version is already stored: the identical package (an idempotent retry, or a repair of a
     * stored copy that cannot be verified from what was stored, see {@link #repair}), or a conflict.
     */
    private Future<Optional<Stored>> sameVersion(SqlConnection tx, Checked checked, LogAppender log) {
        VerifiedPackage pkg = checked.pkg();
        return PublishStore.sameVersion(tx, pkg.contract())
                .compose(found -> {
                    if (found.isEmpty()) {
                        return Future.succeededFuture(Optional.empty());
                    }
                    Row row = found.get();
                    String stored = row.getString("digest");
                    if (!stored.equals(pkg.digest().toString())) {
                        return Future.failedFuture(versionExists(pkg, stored));
                    }
                    Bundle storedBundle = VersionRows.storedBundle(row);
                    return vertx.executeBlocking(() -> VersionRows.verifiesOnItsOwn(storedBundle), false)
                            .compose(verifies -> verifies
                                    ? Future.succeededFuture(Optional.of(new Stored(pkg, false, false, position(row))))
                                    : repair(tx, checked, log).map(Optional::of));
                });
    }

    /**
     * A stored version whose bundle lacks the keys that signed it (stored before the node refused such bundles) cannot
     * be verified by any client. The same package with its keys repairs it: the row takes this bundle's envelopes and
     * signer keys, and a new {@code package/v1} entry records what is now served (log entries never change; the row
     * points at the new one).
     */
    private static Future<Stored> repair(SqlConnection tx, Checked checked, LogAppender log) {
        requireVerifiableAsServed(checked);
        VerifiedPackage pkg = checked.pkg();
        ParsedBundle served = checked.served();
        return log.append(tx, LogEntries.pkg(served))
                .compose(entry -> VersionRows.repairPublished(tx, served.bundle(), pkg, entry)
                        .map(v -> new Stored(pkg, false, true, new Pending(entry))));
    }

    /** What the node stores and serves must verify with nothing but itself: its envelopes and the keys it carries. */
    private static void requireVerifiableAsServed(Checked checked) {
        if (!checked.servedVerifies()) {
            throw new InvalidDocument("the bundle does not verify with the public keys it carries; list the "
                    + "public key of every signer in keys");
        }
    }

    private static ImmutableVersion versionExists(VerifiedPackage pkg, String storedDigest) {
        return new ImmutableVersion(pkg.contract().name() + "@" + pkg.contract().version()
                + " is already published with other content (" + storedDigest + "); published versions are "
                + "immutable, so publish a new version instead");
    }

    /** Checks the new version against the nearest lower and the nearest higher release of the same major. */
    private static Future<Void> checkCompatibility(SqlConnection tx, Contract next) {
        SemVer version = next.version();
        if (version.isPrerelease() || version.major() == 0) {
            return Future.succeededFuture();
        }
        return PublishStore.neighbours(tx, next)
                .compose(neighbours -> {
                    Optional<String> broken = neighbours.lower().flatMap(n -> InterfaceCompatibility
                            .firstBreak(n.contract(), next)
                            .map(b -> "breaks the interface of " + n.version() + ": " + b));
                    if (broken.isEmpty()) {
                        broken = neighbours.higher().flatMap(n -> InterfaceCompatibility.firstBreak(next, n.contract())
                                .map(b -> "is not compatible with the later release " + n.version() + ": " + b));
                    }
                    if (broken.isPresent()) {
                        return Future.failedFuture(new IncompatibleRelease(next.name() + "@" + version + " "
                                + broken.get() + "; a release that breaks the interface needs a new major version"));
                    }
                    return Future.succeededFuture();
                });
    }

    private static Future<Stored> insert(SqlConnection tx, Checked checked, LineageReproduction.Outcome lineage,
                                         LogAppender log) {
        // the entry carries what the node serves as the version's bundle: the envelopes and the signers' keys
        requireVerifiableAsServed(checked);
        VerifiedPackage pkg = checked.pkg();
        return log.append(tx, LogEntries.pkg(checked.served())).compose(entry -> VersionRows.insertPublished(tx,
                checked.documents().bundle(), pkg, lineage, entry).map(v -> new Stored(pkg, true, false,
                new Pending(entry))));
    }

    /**
     * Two publishes of one version can both pass the checks before either commits; the database's unique constraint
     * picks the winner, and the loser is told whether it lost to the identical bundle (success) or to other content.
     */
    private Future<Stored> concurrentWinner(Throwable failure, VerifiedPackage pkg) {
        if (!PublishStore.lostRace(failure)) {
            return Future.failedFuture(failure);
        }
        Contract contract = pkg.contract();
        return PublishStore.sameVersion(pool, contract)
                .compose(found -> {
                    if (found.isEmpty()) {
                        return Future.failedFuture(new Conflict("a concurrent publish of "
                                + contract.name() + " conflicted with this one; retry"));
                    }
                    Row row = found.get();
                    String stored = row.getString("digest");
                    return stored.equals(pkg.digest().toString())
                            ? Future.succeededFuture(new Stored(pkg, false, false, position(row)))
                            : Future.failedFuture(versionExists(pkg, stored));
                });
    }

    private static PublishOutcome outcome(VerifiedPackage pkg, boolean created, boolean repaired, OptionalLong logIndex,
                                          boolean logPending) {
        return new PublishOutcome(pkg.contract().name(), pkg.contract().version().toString(), pkg.digest(),
                pkg.signers(), created, repaired, logIndex, logPending);
    }
}
