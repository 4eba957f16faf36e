package dev.grove.node.mirror;

import dev.grove.crypto.Ed25519PublicKey;
import dev.grove.crypto.KeyId;
import dev.grove.federation.Fault;
import dev.grove.federation.LogEntry;
import dev.grove.federation.OriginKeyset;
import dev.grove.federation.ReleaseDecision;
import dev.grove.node.lineage.LineageReproduction;
import dev.grove.node.packages.VersionRows;
import dev.grove.pkg.Bundle;
import dev.grove.pkg.Contract;
import dev.grove.pkg.VerifiedPackage;
import dev.grove.pkg.Yank;
import dev.grove.tlog.MerkleHash;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Stores what a mirror accepted from a peer's log under the peer's origin. Entries are stored in transactions that also
 * move the log's {@code next_entry} past them, guarded by the index it expects: an entry is stored exactly once, and a
 * restart resumes at the first entry not stored.
 */
final class MirrorStore {

    private static final String ADVANCE = """
            UPDATE mirrored_logs SET next_entry = $3, updated_at = now()
             WHERE origin = $1 AND next_entry = $2 AND status = 'trusted'""";

    private static final String SELECT_KEYSET = """
            SELECT n.keyset_sequence, k.keyid, k.public_key
              FROM namespaces n LEFT JOIN namespace_keys k ON k.origin = n.origin AND k.namespace = n.name
             WHERE n.origin = $1 AND n.name = $2""";

    private static final String INSERT_NAMESPACE = """
            INSERT INTO namespaces (origin, name, keyset_sequence) VALUES ($1, $2, 1)""";
    private static final String UPDATE_SEQUENCE = """
            UPDATE namespaces SET keyset_sequence = $3 WHERE origin = $1 AND name = $2""";
    private static final String DELETE_KEYS = "DELETE FROM namespace_keys WHERE origin = $1 AND namespace = $2";
    private static final String INSERT_KEY = """
            INSERT INTO namespace_keys (origin, namespace, keyid, public_key) VALUES ($1, $2, $3, $4)""";
    private static final String INSERT_CHANGE = """
            INSERT INTO keyset_changes (origin, namespace, sequence, keys, envelope, log_index)
            VALUES ($1, $2, $3, $4, $5, $6)""";

    /** The index of the namespace's keyset in force (its latest keyset/v1 entry), when it was kept. */
    private static final String KEYSET_INDEX = """
            SELECT c.log_index FROM namespaces n
              JOIN keyset_changes c ON c.origin = n.origin AND c.namespace = n.name AND c.sequence = n.keyset_sequence
             WHERE n.origin = $1 AND n.name = $2""";
    /** The index of the latest decision on a version of the origin, else of the version's own entry. */
    private static final String DECISION_INDEX = """
            SELECT coalesce((SELECT log_index FROM release_decisions WHERE origin = $1 AND package_digest = $2
                              ORDER BY sequence DESC LIMIT 1),
                            (SELECT origin_log_index FROM package_versions WHERE origin = $1 AND digest = $2))""";
    private static final String VERSION_INDEX = """
            SELECT origin_log_index FROM package_versions
             WHERE origin = $1 AND namespace = $2 AND name = $3 AND version = $4""";


    private static final String YANK = """
            UPDATE package_versions SET yanked = true, yank_reason = $5, yank_envelope = $6
             WHERE origin = $1 AND namespace = $2 AND name = $3 AND version = $4 AND NOT yanked""";

    private final Pool pool;
    private final MirrorLog log;

    MirrorStore(Pool pool, MirrorLog log) {
        this.pool = pool;
        this.log = log;
    }

    /** The keyset of {@code namespace} in {@code origin} as mirrored so far. */
    Future<Optional<OriginKeyset>> keyset(String origin, String namespace) {
        return pool.preparedQuery(SELECT_KEYSET).execute(Tuple.of(origin, namespace)).map(rows -> {
            long sequence = -1;
            Map<KeyId, Ed25519PublicKey> keys = new LinkedHashMap<>();
            for (Row row : rows) {
                sequence = row.getLong("keyset_sequence");
                Buffer raw = row.getBuffer("public_key");
                if (raw != null) {
                    Ed25519PublicKey key = Ed25519PublicKey.fromBytes(raw.getBytes());
                    keys.put(key.keyId(), key);
                }
            }
            return sequence < 0 ? Optional.<OriginKeyset>empty() : Optional.of(new OriginKeyset(namespace, sequence, keys));
        });
    }

    /**
     * Runs {@code work} (the stores of entries {@code from} to {@code from + entries.size() - 1}, in order) in one
     * transaction that also moves the peer's {@code next_entry} past them, keeps their exact bytes and adds their leaf
     * hashes to the peer's tiles ({@link MirrorLog#keep}, {@link MirrorLog#grow}): all of it is stored, or none.
     */
    Future<Void> entries(String origin, long from, List<byte[]> entries,
                         java.util.function.Function<SqlConnection, Future<Void>> work) {
        long to = from + entries.size();
        List<byte[]> leafHashes = entries.stream().map(MerkleHash::leafHash).toList();
        return pool.withTransaction(tx -> advance(tx, origin, from, to).compose(v -> work.apply(tx))
                .compose(v -> log.keep(tx, origin, from, entries))
                .compose(v -> log.grow(tx, origin, from, to, leafHashes)));
    }

    Future<Void> keyset(SqlConnection tx, String origin, LogEntry.KeysetEntry e, OriginKeyset next) {
        JsonArray keys = new JsonArray();
        List<Tuple> rows = new ArrayList<>();
        for (Map.Entry<KeyId, Ed25519PublicKey> k : next.keys().entrySet()) {
            keys.add(new JsonObject().put("keyid", k.getKey().hex()).put("publicKey", k.getValue().base64()));
            rows.add(Tuple.of(origin, next.namespace(), k.getKey().hex(), Buffer.buffer(k.getValue().bytes())));
        }
        String envelope = e.envelope().map(env -> env.toJsonString()).orElse(null);
        return (next.sequence() == 1
                        ? tx.preparedQuery(INSERT_NAMESPACE).execute(Tuple.of(origin, next.namespace()))
                        : tx.preparedQuery(UPDATE_SEQUENCE).execute(Tuple.of(origin, next.namespace(), next.sequence()))
                                .compose(u -> tx.preparedQuery(DELETE_KEYS).execute(Tuple.of(origin, next.namespace()))))
                .compose(v -> tx.preparedQuery(INSERT_KEY).executeBatch(rows))
                .compose(v -> tx.preparedQuery(INSERT_CHANGE).execute(Tuple.of(origin, next.namespace(),
                        next.sequence(), keys, envelope, e.index())))
                .mapEmpty();
    }

    /** A verified package to store, entry {@code logIndex} of the origin's log. */
    record Verified(long logIndex, Bundle bundle, VerifiedPackage pkg, LineageReproduction.Outcome lineage) {
    }

    private static final String SELECT_VERSIONS = """
            SELECT namespace, name, version, digest FROM package_versions
             WHERE origin = $1 AND (namespace, name, version) IN
                   (SELECT * FROM unnest($2::text[], $3::text[], $4::text[]))""";
    private static final String DIGESTS_EXIST = "SELECT digest FROM package_versions WHERE digest = ANY($1::text[])";

    /**
     * Stores verified packages (artifacts already in the blob store), consecutive entries of the origin's log, in their
     * order, with one statement per table for all of them. A digest this node already holds (the same signed contract
     * reached it another way, or an earlier one of {@code packages}) is not stored twice; the first that gives a stored
     * version another digest fails the whole with {@link VersionRewritten} naming its entry.
     */
    Future<Void> packages(SqlConnection tx, String origin, List<Verified> packages) {
        String[] namespaces = new String[packages.size()];
        String[] names = new String[packages.size()];
        String[] versions = new String[packages.size()];
        String[] digests = new String[packages.size()];
        for (int i = 0; i < packages.size(); i++) {
            Contract c = packages.get(i).pkg().contract();
            namespaces[i] = c.name().namespace();
            names[i] = c.name().name();
            versions[i] = c.version().toString();
            digests[i] = packages.get(i).pkg().digest().toString();
        }
        Future<RowSet<Row>> sameVersions = tx.preparedQuery(SELECT_VERSIONS)
                .execute(Tuple.of(origin, namespaces, names, versions));
        return sameVersions.compose(same -> tx.preparedQuery(DIGESTS_EXIST).execute(Tuple.of((Object) digests))
                .compose(held -> {
                    Map<String, String> stored = new HashMap<>();
                    for (Row r : same) {
                        stored.put(r.getString("namespace") + "/" + r.getString("name") + "@" + r.getString("version"),
                                r.getString("digest"));
                    }
                    Set<String> digestsHeld = new HashSet<>();
                    held.forEach(r -> digestsHeld.add(r.getString("digest")));
                    List<VersionRows.Mirrored> insert = new ArrayList<>();
                    for (Verified v : packages) {
                        Contract c = v.pkg().contract();
                        String digest = v.pkg().digest().toString();
                        String version = c.name() + "@" + c.version();
                        String before = stored.get(version);
                        if (before != null) {
                            if (!before.equals(digest)) {
                                return Future.failedFuture(new VersionRewritten(before, v.logIndex()));
                            }
                            continue;
                        }
                        if (!digestsHeld.add(digest)) {
                            continue;
                        }
                        stored.put(version, digest);
                        insert.add(new VersionRows.Mirrored(v.logIndex(), v.bundle(), v.pkg(), v.lineage()));
                    }
                    return VersionRows.insertMirrored(tx, origin, insert);
                }));
    }

    /** The peer's log holds a second, different package for a version it logged before (rolls the transaction back). */
    static final class VersionRewritten extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String storedDigest;
        private final long logIndex;

        VersionRewritten(String storedDigest, long logIndex) {
            super("version already stored with digest " + storedDigest, null, false, false);
            this.storedDigest = storedDigest;
            this.logIndex = logIndex;
        }

        String storedDigest() {
            return storedDigest;
        }

        /** The index of the entry that rewrites the version. */
        long logIndex() {
            return logIndex;
        }
    }

    Future<Void> yank(SqlConnection tx, String origin, Yank yank, String envelopeJson) {
        return tx.preparedQuery(YANK).execute(Tuple.of(origin, yank.name().namespace(), yank.name().name(),
                yank.version().toString(), yank.reason(), envelopeJson)).mapEmpty();
    }

    private static final String DECIDED_VERSION = """
            SELECT origin, namespace, name, version, status FROM package_versions WHERE digest = $1""";
    private static final String LAST_DECISION = """
            SELECT coalesce(max(sequence), 0) FROM release_decisions WHERE origin = $1 AND package_digest = $2""";
    private static final String SET_STATUS = """
            UPDATE package_versions SET status = $3 WHERE digest = $1 AND origin = $2""";
    private static final String INSERT_DECISION = """
            INSERT INTO release_decisions (origin, package_digest, sequence, status, envelope, log_index)
            VALUES ($1, $2, $3, $4, $5, $6)""";

    /**
     * Stores a verified release decision of the peer about one of its versions and moves the version's status. The
     * decision must follow the peer's earlier decisions about that version: the next sequence, from the status the
     * mirror holds. A version of the same digest held under another origin (the same signed contract published on two
     * nodes) is not the peer's to decide about here, and the decision is skipped.
     *
     * @throws DecisionOutOfOrder (as the failed future) when the decision does not follow, or its version was never logged
     */
    Future<Void> decision(SqlConnection tx, String origin, LogEntry.DecisionEntry e, ReleaseDecision d) {
        String digest = d.digest().toString();
        return tx.preparedQuery(DECIDED_VERSION).execute(Tuple.of(digest)).compose(rows -> {
            if (rows.size() == 0) {
                return Future.failedFuture(new DecisionOutOfOrder("decision on " + d.name() + "@" + d.version() + " "
                        + digest + ", a version the log never recorded"));
            }
            Row v = rows.iterator().next();
            if (!v.getString("origin").equals(origin)) {
                return Future.succeededFuture();
            }
            if (!(v.getString("namespace") + "/" + v.getString("name")).equals(d.name().toString())
                    || !v.getString("version").equals(d.version().toString())) {
                return Future.failedFuture(new DecisionOutOfOrder("decision names " + d.name() + "@" + d.version()
                        + " but the log recorded " + digest + " as " + v.getString("namespace") + "/" + v.getString("name")
                        + "@" + v.getString("version")));
            }
            return tx.preparedQuery(LAST_DECISION).execute(Tuple.of(origin, digest)).compose(last -> {
                long expected = last.iterator().next().getLong(0) + 1;
                String status = v.getString("status");
                if (d.sequence() != expected || !d.previous().equals(status)) {
                    return Future.failedFuture(new DecisionOutOfOrder("decision " + d.sequence() + " on " + d.name() + "@"
                            + d.version() + " changes '" + d.previous() + "' to '" + d.status() + "', but the log's "
                            + "decisions make it decision " + expected + " from '" + status + "'"));
                }
                return tx.preparedQuery(SET_STATUS).execute(Tuple.of(digest, origin, d.status()))
                        .compose(u -> tx.preparedQuery(INSERT_DECISION).execute(Tuple.of(origin, digest, d.sequence(),
                                d.status(), e.envelope().toJsonString(), e.index())))
                        .mapEmpty();
            });
        });
    }

    /** A decision in the peer's log that does not follow its earlier ones (rolls the transaction back). */
    static final class DecisionOutOfOrder extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DecisionOutOfOrder(String message) {
            super(message, null, false, false);
        }
    }

    /** Where the keyset in force of {@code namespace} was logged; empty when unbound or not kept. */
    Future<Optional<Long>> keysetIndex(String origin, String namespace) {
        return index(KEYSET_INDEX, Tuple.of(origin, namespace));
    }

    /** Where the latest decision on the version (else the version itself) was logged; empty when not known. */
    Future<Optional<Long>> decisionIndex(String origin, dev.grove.crypto.Sha256 digest) {
        return index(DECISION_INDEX, Tuple.of(origin, digest.toString()));
    }

    /** Where the stored version was logged; empty when not known. */
    Future<Optional<Long>> versionIndex(String origin, dev.grove.pkg.PackageName name, String version) {
        return index(VERSION_INDEX, Tuple.of(origin, name.namespace(), name.name(), version));
    }

    private Future<Optional<Long>> index(String sql, Tuple args) {
        return pool.preparedQuery(sql).execute(args).map(rows -> rows.size() == 0 ? Optional.<Long>empty()
                : Optional.ofNullable(rows.iterator().next().getLong(0)));
    }

    private static Future<Void> advance(SqlConnection tx, String origin, long from, long to) {
        return tx.preparedQuery(ADVANCE).execute(Tuple.of(origin, from, to)).compose(rows -> rows.rowCount() == 1
                ? Future.succeededFuture()
                : Future.failedFuture(new PeerFault(Fault.Kind.INTERNAL, "entry " + from + " of " + origin
                        + " was stored by another follower, or the log was quarantined meanwhile")));
    }
}
