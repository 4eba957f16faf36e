package dev.grove.node.packages;

import dev.grove.node.feature.NodeJob;
import dev.grove.node.feature.RouteModule;
import dev.grove.node.http.Representation;
import dev.grove.node.problem.AmbiguousName;
import dev.grove.node.problem.InvalidDocument;
import dev.grove.node.problem.NotFound;
import dev.grove.node.log.LogReader;
import dev.grove.node.log.MirroredLogs;
import dev.grove.node.release.ReleaseReads;
import dev.grove.pkg.PackageName;
import dev.grove.semver.SemVer;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads published versions and renders them as the API's JSON documents. The SQL for package reads lives here. */
public final class VersionDocuments {

    private static final Logger LOG = LoggerFactory.getLogger(VersionDocuments.class);

    private static final String COLUMNS = """
            v.id, v.origin, v.namespace, v.name, v.version, v.digest, v.contract_envelope, v.lineage_envelope,
            v.evaluation_envelope, v.signer_keys, v.yanked, v.yank_reason, v.published_at,
            coalesce(v.log_index, (SELECT e.idx FROM log_entries e WHERE e.id = v.log_entry)) AS log_index,
            v.lineage_reproduced, v.lineage_reason, v.status, v.origin_log_index,
            (SELECT json_agg(json_build_object('path', a.path, 'mediaType', a.media_type, 'size', a.size,
                                               'digest', a.digest) ORDER BY a.path)
               FROM version_artifacts a WHERE a.version_id = v.id) AS artifacts""";

    private static final String BY_VERSION = "SELECT " + COLUMNS + " " + """
             FROM package_versions v WHERE v.origin = $4 AND v.namespace = $1 AND v.name = $2 AND v.version = $3""";

    private static final String BY_DIGEST = "SELECT " + COLUMNS + " FROM package_versions v WHERE v.digest = $1";

    /** The newest promoted version when there is one, else the newest release (docs/protocol.md, "Names"). */
    private static final String LATEST = "SELECT " + COLUMNS + " " + """
             FROM package_versions v WHERE v.origin = $3 AND v.namespace = $1 AND v.name = $2 AND NOT v.yanked AND NOT v.prerelease
             ORDER BY v.status = 'promoted' DESC, v.major DESC, v.minor DESC, v.patch DESC LIMIT 1""";

    private static final String VERSIONS = """
            SELECT version, digest, yanked, published_at, prerelease, status FROM package_versions
             WHERE origin = $3 AND namespace = $1 AND name = $2""";

    /** Who holds a package of this name: this node ('') and the origins it mirrors it from, this node first. */
    private static final String HOLDERS = """
            SELECT DISTINCT origin FROM package_versions WHERE namespace = $1 AND name = $2 ORDER BY origin""";

    private final SqlClient client;
    private final String origin;
    private final LogReader log;
    private final MirroredLogs mirrored;
    private final RenderedDocuments rendered;

    /**
     * @param log      proves each version's log entry against the latest checkpoint
     * @param mirrored proves a mirrored version's entry in its origin's log, as far as this node keeps that log
     * @param metrics  counts the documents reused and rendered
     */
    public VersionDocuments(SqlClient client, String origin, LogReader log, MirroredLogs mirrored,
                            MeterRegistry metrics) {
        this.client = client;
        this.origin = origin;
        this.log = log;
        this.mirrored = mirrored;
        this.rendered = new RenderedDocuments(client, metrics);
    }

    /**
     * The job that keeps the documents' count from the database's notifications, on its own connection to
     * {@code database} (see {@link RenderedDocuments}).
     */
    public NodeJob notifications(PgConnectOptions database) {
        return new NodeJob("the version documents' notifications", new DocumentNotifications(database, rendered));
    }

    /**
     * A route in front of every feature's: a write this node answers (any method but GET, HEAD and OPTIONS) makes
     * this node's reads ask the database for the documents' count until it is read back after the write, so that a
     * client reads what it just wrote through the same node exactly, without waiting for the notification.
     */
    public RouteModule writesReadBack() {
        return (router, json) -> router.route().handler(this::watchWrite);
    }

    private void watchWrite(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD && method != HttpMethod.OPTIONS) {
            // the handler answers after its transaction committed: before the client can send its next read
            ctx.addHeadersEndHandler(v -> rendered.committedHere());
        }
        ctx.next();
    }

    /**
     * One version of {@code origin}'s package as JSON ({@code version} may be {@code latest}), rendered again only when
     * something it shows has changed. Fails with 404 naming what is missing, 400 for a version that is not one, 409 when
     * a plain name is ambiguous.
     */
    public Future<Representation> versionJson(PackageOrigin origin, PackageName name, String version) {
        return rendered.get("version " + key(origin) + name + "@" + version,
                () -> stored(origin, name).compose(stored -> version(stored, name, version)));
    }

    /** The version whose contract has this digest, yanked or not, as JSON; whatever its origin. */
    public Future<Representation> byDigestJson(String digest) {
        return rendered.get("digest " + digest, () -> byDigest(digest));
    }

    /**
     * {@code origin}'s package and all its versions as JSON, newest first by SemVer precedence, rendered again only
     * when something it shows has changed. Fails with 404 when there is none, 409 when a plain name is ambiguous.
     */
    public Future<Representation> versionsJson(PackageOrigin origin, PackageName name) {
        return rendered.get("versions " + key(origin) + name,
                () -> stored(origin, name).compose(stored -> versions(stored, name)));
    }

    /** The part of a rendered document's key that names the origin ('' for this node's names, as before origins). */
    private static String key(PackageOrigin origin) {
        return origin instanceof PackageOrigin.Mirrored m ? m.origin() + " " : "";
    }

    /** The {@code origin} column the rows of {@code name} are read from: '' for this node's own. */
    private Future<String> stored(PackageOrigin origin, PackageName name) {
        if (origin instanceof PackageOrigin.Mirrored m) {
            return Future.succeededFuture(m.origin());
        }
        return resolve(name);
    }

    /**
     * The origin a plain name means on this node (docs/protocol.md, "Names"): '' for this node's own package when it has
     * one, else the one origin it mirrors a package of that name from (also '' when none has it: then nothing is
     * found). Fails with 409 listing the origins when several have it: the name must be qualified.
     */
    private Future<String> resolve(PackageName name) {
        return client.preparedQuery(HOLDERS).execute(Tuple.of(name.namespace(), name.name())).compose(rows -> {
            List<String> origins = new ArrayList<>();
            rows.forEach(r -> origins.add(r.getString("origin")));
            if (origins.isEmpty() || origins.contains("")) {
                return Future.succeededFuture("");
            }
            if (origins.size() == 1) {
                return Future.succeededFuture(origins.get(0));
            }
            return Future.failedFuture(new AmbiguousName(name + " is not published on this node, and it "
                    + "mirrors a package of that name from " + origins.size() + " origins (" + String.join(", ", origins)
                    + "): name one, as ORIGIN/" + name + " (/v1/origins/{origin}/packages/" + name + "/...)", origins));
        });
    }

    /** One version of the package stored under {@code stored} ('' for this node's own). */
    private Future<JsonObject> version(String stored, PackageName name, String version) {
        Future<Optional<Row>> row;
        if (version.equals("latest")) {
            row = one(client.preparedQuery(LATEST).execute(Tuple.of(name.namespace(), name.name(), stored)));
        } else {
            try {
                SemVer.parse(version);
            } catch (IllegalArgumentException e) {
                return Future.failedFuture(new InvalidDocument("'" + version + "' is not a version: "
                        + e.getMessage(), e));
            }
            row = one(client.preparedQuery(BY_VERSION).execute(Tuple.of(name.namespace(), name.name(), version,
                    stored)));
        }
        return row.compose(found -> found.isPresent() ? render(found.get())
                : Future.failedFuture(new NotFound(version.equals("latest")
                ? qualified(stored, name) + " has no released version that is not yanked; name a version explicitly"
                : qualified(stored, name) + "@" + version + " is " + notHeld(stored))));
    }

    /** The version whose contract has this digest, yanked or not. */
    private Future<JsonObject> byDigest(String digest) {
        return one(client.preparedQuery(BY_DIGEST).execute(Tuple.of(digest))).compose(found -> found.isPresent()
                ? render(found.get())
                : Future.failedFuture(new NotFound("no package with digest " + digest + " on this node")));
    }

    /** The package stored under {@code stored} ('' for this node's own) and all its versions, newest first. */
    private Future<JsonObject> versions(String stored, PackageName name) {
        return client.preparedQuery(VERSIONS).execute(Tuple.of(name.namespace(), name.name(), stored)).compose(rows -> {
            if (rows.size() == 0) {
                return Future.failedFuture(new NotFound("package " + qualified(stored, name) + " is "
                        + notHeld(stored)));
            }
            List<Row> sorted = new ArrayList<>();
            rows.forEach(sorted::add);
            sorted.sort(Comparator.comparing((Row r) -> SemVer.parse(r.getString("version"))).reversed());
            JsonArray versions = new JsonArray();
            String latest = null;
            String latestPromoted = null;
            for (Row r : sorted) {
                versions.add(new JsonObject()
                        .put("version", r.getString("version"))
                        .put("digest", r.getString("digest"))
                        .put("yanked", r.getBoolean("yanked"))
                        .put("status", r.getString("status"))
                        .put("publishedAt", r.getOffsetDateTime("published_at").format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)));
                if (latest == null && !r.getBoolean("yanked") && !r.getBoolean("prerelease")) {
                    latest = r.getString("version");
                }
                if (latestPromoted == null && !r.getBoolean("yanked") && !r.getBoolean("prerelease")
                        && r.getString("status").equals("promoted")) {
                    latestPromoted = r.getString("version");
                }
            }
            if (latestPromoted != null) {
                latest = latestPromoted;
            }
            return Future.succeededFuture(new JsonObject()
                    .put("name", name.toString())
                    .put("origin", origin(stored))
                    .put("latest", latest)
                    .put("versions", versions));
        });
    }

    private Future<JsonObject> render(Row row) {
        String stored = row.getString("origin");
        Long logIndex = stored.isEmpty() ? row.getLong("log_index") : row.getLong("origin_log_index");
        JsonObject document = document(row);
        // the release and the log proof read different tables: ask for both at once
        Future<JsonObject> release = ReleaseReads.release(client, row.getString("digest"));
        Future<Optional<JsonObject>> proof = logIndex == null ? Future.succeededFuture(Optional.empty())
                : logProof(logIndex, stored.isEmpty() ? log.included(logIndex) : mirrored.included(stored, logIndex))
                .map(Optional::of);
        return Future.all(release, proof)
                .map(both -> {
                    document.put("release", release.result());
                    proof.result().ifPresent(p -> document.put("log", p));
                    return document;
                })
                .compose(doc -> decisionProof(doc, stored));
    }

    /** The latest release decision's entry proven in the deciding node's log, like the version's own entry. */
    private Future<JsonObject> decisionProof(JsonObject doc, String stored) {
        JsonObject decision = doc.getJsonObject("release").getJsonObject("decision");
        if (decision == null) {
            return Future.succeededFuture(doc);
        }
        long index = decision.getLong("logIndex");
        return logProof(index, stored.isEmpty() ? log.included(index) : mirrored.included(stored, index))
                .map(proof -> {
                    decision.put("log", proof);
                    return doc;
                });
    }

    /**
     * {@code {"index"}} while the entry is not in a checkpoint yet, then {@code {"index", "treeSize", "checkpoint",
     * "inclusion"}}: the latest signed checkpoint (with its cosignatures) and the entry's inclusion proof in it. For a
     * mirrored version, the index is in its origin's log and the checkpoint is the origin's, as the mirror keeps it.
     */
    private Future<JsonObject> logProof(long index, Future<Optional<LogReader.Included>> proven) {
        JsonObject doc = new JsonObject().put("index", index);
        return proven.map(included -> {
            included.ifPresent(in -> {
                JsonArray hashes = new JsonArray();
                in.proof().hashes().forEach(h -> hashes.add(Base64.getEncoder().encodeToString(h)));
                doc.put("treeSize", in.checkpoint().size())
                        .put("checkpoint", in.checkpoint().note())
                        .put("inclusion", hashes);
            });
            return doc;
        }).recover(e -> {
            LOG.warn("cannot prove log entry {}: {}", index, e.toString());
            return Future.succeededFuture(doc);
        });
    }

    private JsonObject document(Row row) {
        JsonArray artifacts = new JsonArray();
        Object listed = row.getValue("artifacts");
        if (listed instanceof JsonArray stored) {
            for (Object a : stored) {
                JsonObject artifact = (JsonObject) a;
                artifacts.add(artifact.copy().put("url", "/v1/blobs/" + artifact.getString("digest")));
            }
        }
        JsonObject contract = new JsonObject(row.getString("contract_envelope"));
        JsonObject lineage = new JsonObject(row.getString("lineage_envelope"));
        JsonObject evaluation = new JsonObject(row.getString("evaluation_envelope"));
        String namespace = row.getString("namespace");
        String name = row.getString("name");
        return new JsonObject()
                .put("ref", namespace + "/" + name + "@" + row.getString("version"))
                .put("namespace", namespace)
                .put("name", name)
                .put("version", row.getString("version"))
                .put("digest", row.getString("digest"))
                .put("origin", origin(row.getString("origin")))
                .put("status", row.getString("status"))
                .put("yanked", row.getBoolean("yanked"))
                .put("yankReason", row.getString("yank_reason"))
                .put("publishedAt", row.getOffsetDateTime("published_at").format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                .put("artifacts", artifacts)
                .put("reports", "/v1/reports/" + row.getString("digest")) // this node's anonymous reports about it
                .put("contract", payload(contract))
                .put("lineage", payload(lineage))
                .put("evaluation", payload(evaluation))
                .put("lineageReproduction", new JsonObject()
                        .put("reproduced", row.getBoolean("lineage_reproduced"))
                        .put("reason", row.getString("lineage_reason")))
                .put("bundle", new JsonObject()
                        .put("contract", contract)
                        .put("lineage", lineage)
                        .put("evaluation", evaluation)
                        .put("keys", row.getJsonArray("signer_keys")));
    }

    /** A name as the problems say it: plain for this node's own package, else after its origin. */
    private static String qualified(String stored, PackageName name) {
        return stored.isEmpty() ? name.toString() : stored + "/" + name;
    }

    /** Why nothing was found, in the words of the one who would hold it. */
    private static String notHeld(String stored) {
        return stored.isEmpty() ? "not published on this node" : "not held by this node";
    }

    /** Where a version was published: this node, or the peer a mirror copied it from. */
    private String origin(String stored) {
        return stored.isEmpty() ? origin : stored;
    }

    /** The decoded payload, for readers; verifiers use the envelopes in {@code bundle}. */
    private static JsonObject payload(JsonObject envelope) {
        return new JsonObject(new String(Base64.getDecoder().decode(envelope.getString("payload")),
                java.nio.charset.StandardCharsets.UTF_8));
    }

    private static Future<Optional<Row>> one(Future<io.vertx.sqlclient.RowSet<Row>> rows) {
        return rows.map(set -> set.size() == 0 ? Optional.<Row>empty() : Optional.of(set.iterator().next()));
    }
}
