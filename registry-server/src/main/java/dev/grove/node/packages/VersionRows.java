package dev.grove.node.packages;

import dev.grove.crypto.Ed25519PublicKey;
import dev.grove.dsse.Envelope;
import dev.grove.node.lineage.LineageReproduction;
import dev.grove.pkg.Bundle;
import dev.grove.pkg.BundleVerifier;
import dev.grove.pkg.ParsedBundle;
import dev.grove.pkg.Contract;
import dev.grove.pkg.ParentRef;
import dev.grove.pkg.PublicKeyEntry;
import dev.grove.pkg.VerifiedPackage;
import dev.grove.semver.SemVer;
import dev.grove.node.log.LogEntryId;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows a package version is stored as: its {@code package_versions} row, its artifacts and its lineage edges. A
 * version published here and one mirrored from a peer are the same rows, told apart by {@code origin} ({@code ''} for
 * this node) and by the log they are recorded in ({@code log_entry} in this node's, {@code origin_log_index} in the
 * origin's). Runs inside the caller's transaction.
 */
public final class VersionRows {

    private static final String INSERT_VERSION = """
            INSERT INTO package_versions (origin, namespace, name, version, major, minor, patch, prerelease, digest,
                contract_envelope, lineage_envelope, evaluation_envelope, signer_keys, summary, task, license, tags,
                parameters, size_bytes, operator, search, log_entry, origin_log_index, lineage_reproduced,
                lineage_reason)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
                setweight(to_tsvector('english', $2 || ' ' || $3 || ' ' || $21), 'A')
                    || setweight(to_tsvector('english', $14 || ' ' || $15), 'B'), $22, $23, $24, $25)
            RETURNING id""";

    private static final String INSERT_ARTIFACT = """
            INSERT INTO version_artifacts (version_id, path, media_type, size, digest) VALUES ($1, $2, $3, $4, $5)""";

    private static final String INSERT_EDGE = """
            INSERT INTO lineage_edges (child_digest, parent_digest, parent_origin, parent_ref, operator)
            VALUES ($1, $2, $3, $4, $5)""";

    private VersionRows() {
    }

    /**
     * Stores a version published on this node, recorded by {@code logEntry} in this node's log (its index is that
     * entry's, once sequenced), with what re-running its lineage claim found (in the same row, so that no reader sees
     * the version without it).
     */
    public static Future<Void> insertPublished(SqlConnection tx, Bundle bundle, VerifiedPackage pkg,
                                               LineageReproduction.Outcome lineage, LogEntryId logEntry) {
        return insert(tx, "", logEntry.value(), null, lineage, bundle, pkg);
    }

    /**
     * Stores a version mirrored from the node whose log is {@code origin}, recorded at {@code originLogIndex} there, with
     * what this node found re-running its lineage claim ({@link LineageReproduction#recheck}).
     */
    public static Future<Void> insertMirrored(SqlConnection tx, String origin, long originLogIndex, Bundle bundle,
                                              VerifiedPackage pkg, LineageReproduction.Outcome lineage) {
        return insert(tx, origin, null, originLogIndex, lineage, bundle, pkg);
    }

    private static final String REPAIR_VERSION = """
            UPDATE package_versions SET contract_envelope = $5, lineage_envelope = $6, evaluation_envelope = $7,
                signer_keys = $8, log_index = NULL, log_entry = $9
             WHERE origin = '' AND namespace = $1 AND name = $2 AND version = $3 AND digest = $4""";

    /** The bundle as the node serves and logs it: its envelopes and the keys that signed them. */
    public static Bundle servedBundle(Bundle bundle, VerifiedPackage pkg) {
        return new Bundle(bundle.contract(), bundle.lineage(), bundle.evaluation(), signerKeys(bundle, pkg));
    }

    /** {@link #servedBundle(Bundle, VerifiedPackage)}, keeping the documents {@code bundle} has parsed. */
    public static ParsedBundle servedBundle(ParsedBundle bundle, VerifiedPackage pkg) {
        return bundle.withKeys(signerKeys(bundle.bundle(), pkg));
    }

    /**
     * The bundle a row serves (its envelopes and {@code signer_keys}); the row must hold the envelope and key columns.
     */
    public static Bundle storedBundle(Row row) {
        List<PublicKeyEntry> keys = new ArrayList<>();
        JsonArray stored = row.getJsonArray("signer_keys");
        for (int i = 0; stored != null && i < stored.size(); i++) {
            JsonObject key = stored.getJsonObject(i);
            keys.add(PublicKeyEntry.of(Ed25519PublicKey.fromBase64(key.getString("publicKey"))));
        }
        return new Bundle(Envelope.parse(row.getString("contract_envelope")), Envelope.parse(row.getString(
                "lineage_envelope")), Envelope.parse(row.getString("evaluation_envelope")), keys);
    }

    /**
     * Whether a bundle verifies with nothing but itself: each envelope signed, and every signature by one of its keys
     * valid, with the keys it carries. What a client can check of a version, before its log proof.
     */
    public static boolean verifiesOnItsOwn(Bundle bundle) {
        if (bundle.keys().isEmpty()) {
            return false;
        }
        try {
            BundleVerifier.verify(bundle, bundle.keyMap());
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** {@link #verifiesOnItsOwn(Bundle)} of {@code bundle.bundle()}, with the documents it has parsed (not parsed again). */
    public static boolean verifiesOnItsOwn(ParsedBundle bundle) {
        if (bundle.bundle().keys().isEmpty()) {
            return false;
        }
        try {
            BundleVerifier.verify(bundle, bundle.bundle().keyMap());
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Replaces the envelopes and keys a published version is served with by those of {@code served} (the same package:
     * same digest), now recorded by {@code logEntry}.
     */
    public static Future<Void> repairPublished(SqlConnection tx, Bundle served, VerifiedPackage pkg,
                                               LogEntryId logEntry) {
        Contract contract = pkg.contract();
        JsonArray keys = new JsonArray();
        for (PublicKeyEntry key : served.keys()) {
            keys.add(new JsonObject().put("keyid", key.keyid().hex()).put("publicKey", key.publicKey().base64()));
        }
        return tx.preparedQuery(REPAIR_VERSION).execute(Tuple.tuple()
                        .addValue(contract.name().namespace())
                        .addValue(contract.name().name())
                        .addValue(contract.version().toString())
                        .addValue(pkg.digest().toString())
                        .addValue(served.contract().toJsonString())
                        .addValue(served.lineage().toJsonString())
                        .addValue(served.evaluation().toJsonString())
                        .addValue(keys)
                        .addValue(logEntry.value()))
                .compose(rows -> rows.rowCount() == 1 ? Future.<Void>succeededFuture()
                        : Future.failedFuture(new IllegalStateException("no row to repair for " + contract.name() + "@"
                        + contract.version())));
    }

    /** The bundle's keys that signed the package (a bundle may carry others). */
    public static List<PublicKeyEntry> signerKeys(Bundle bundle, VerifiedPackage pkg) {
        return bundle.keys().stream().filter(k -> pkg.signers().contains(k.keyid())).toList();
    }

    /** A version mirrored from an origin's log, as {@link #insertMirrored(SqlConnection, String, List)} stores it. */
    public record Mirrored(long originLogIndex, Bundle bundle, VerifiedPackage pkg, LineageReproduction.Outcome lineage) {
    }

    /**
     * {@link #insertMirrored(SqlConnection, String, long, Bundle, VerifiedPackage, LineageReproduction.Outcome)} for
     * several versions, with one batched statement per table instead of a round trip per row.
     */
    public static Future<Void> insertMirrored(SqlConnection tx, String origin, List<Mirrored> versions) {
        if (versions.isEmpty()) {
            return Future.succeededFuture();
        }
        List<Tuple> rows = new ArrayList<>(versions.size());
        for (Mirrored m : versions) {
            rows.add(versionRow(origin, null, m.originLogIndex(), m.lineage(), m.bundle(), m.pkg()));
        }
        return tx.preparedQuery(INSERT_VERSION).executeBatch(rows).compose(inserted -> {
            List<Tuple> artifacts = new ArrayList<>();
            List<Tuple> edges = new ArrayList<>();
            RowSet<Row> result = inserted;
            for (Mirrored m : versions) {
                long id = result.iterator().next().getLong("id");
                result = result.next();
                artifacts.addAll(artifactRows(id, m.pkg()));
                edges.addAll(edgeRows(origin, m.pkg()));
            }
            return children(tx, artifacts, edges);
        });
    }

    private static Future<Void> insert(SqlConnection tx, String origin, Long logEntry, Long originLogIndex,
                                       LineageReproduction.Outcome lineage, Bundle bundle, VerifiedPackage pkg) {
        Tuple row = versionRow(origin, logEntry, originLogIndex, lineage, bundle, pkg);
        return tx.preparedQuery(INSERT_VERSION).execute(row).compose(rows -> {
            long id = rows.iterator().next().getLong("id");
            return children(tx, artifactRows(id, pkg), edgeRows(origin, pkg));
        });
    }

    private static Tuple versionRow(String origin, Long logEntry, Long originLogIndex, LineageReproduction.Outcome lineage,
                                    Bundle bundle, VerifiedPackage pkg) {
        Contract contract = pkg.contract();
        SemVer version = contract.version();
        JsonArray signerKeys = new JsonArray();
        for (PublicKeyEntry key : signerKeys(bundle, pkg)) {
            signerKeys.add(new JsonObject().put("keyid", key.keyid().hex()).put("publicKey", key.publicKey().base64()));
        }
        return Tuple.tuple()
                .addValue(origin)
                .addValue(contract.name().namespace())
                .addValue(contract.name().name())
                .addValue(version.toString())
                .addValue((long) version.major())
                .addValue((long) version.minor())
                .addValue((long) version.patch())
                .addValue(version.isPrerelease())
                .addValue(pkg.digest().toString())
                .addValue(bundle.contract().toJsonString())
                .addValue(bundle.lineage().toJsonString())
                .addValue(bundle.evaluation().toJsonString())
                .addValue(signerKeys)
                .addValue(contract.summary())
                .addValue(contract.task())
                .addValue(contract.license())
                .addValue(contract.tags().toArray(String[]::new))
                .addValue(contract.parameters())
                .addValue(contract.bytes())
                .addValue(pkg.lineage().operator().wireName())
                .addValue(String.join(" ", contract.tags()))
                .addValue(logEntry)
                .addValue(originLogIndex)
                .addValue(lineage.reproduced())
                .addValue(lineage.reason());
    }

    private static List<Tuple> artifactRows(long versionId, VerifiedPackage pkg) {
        return pkg.contract().artifacts().stream()
                .map(a -> Tuple.of(versionId, a.path(), a.mediaType(), a.size(), a.digest().toString()))
                .toList();
    }

    private static List<Tuple> edgeRows(String origin, VerifiedPackage pkg) {
        // a parent cited without an origin is on the child's own node
        String parentOrigin = origin.isEmpty() ? null : origin;
        List<Tuple> edges = new ArrayList<>();
        for (ParentRef parent : pkg.lineage().parents()) {
            edges.add(Tuple.of(pkg.digest().toString(), parent.digest().toString(),
                    parent.origin().orElse(parentOrigin), parent.ref().orElse(null),
                    pkg.lineage().operator().wireName()));
        }
        return edges;
    }

    private static Future<Void> children(SqlConnection tx, List<Tuple> artifacts, List<Tuple> edges) {
        Future<?> stored = artifacts.isEmpty() ? Future.succeededFuture()
                : tx.preparedQuery(INSERT_ARTIFACT).executeBatch(artifacts);
        return stored.compose(v -> edges.isEmpty() ? Future.succeededFuture()
                : tx.preparedQuery(INSERT_EDGE).executeBatch(edges)).mapEmpty();
    }
}
