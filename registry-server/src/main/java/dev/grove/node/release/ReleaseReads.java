package dev.grove.node.release;

import dev.grove.pkg.PackageName;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * The {@code release} object of a version document: the status, the conditions of the latest evaluation (with which
 * are missing) and the latest decision with its log index. For a version a mirror copied, the status and decision are
 * the origin's, and there are no conditions (a node evaluates only its own versions).
 */
public final class ReleaseReads {

    private static final String RELEASE = """
            SELECT v.status, e.evaluation, e.evaluated_at, d.origin AS d_origin, d.sequence, d.status AS d_status,
                   coalesce(d.log_index, (SELECT le.idx FROM log_entries le WHERE le.id = d.log_entry)) AS log_index,
                   d.decided_at, d.envelope, demo.reports AS demo_reports
              FROM package_versions v
              LEFT JOIN demo_reports demo ON demo.package_digest = v.digest
              LEFT JOIN release_evaluations e ON e.package_digest = v.digest
              LEFT JOIN LATERAL (SELECT * FROM release_decisions r WHERE r.package_digest = v.digest
                                  ORDER BY r.sequence DESC LIMIT 1) d ON true
             WHERE v.digest = $1""";

    private static final String DIGEST = """
            SELECT digest FROM package_versions WHERE origin = '' AND namespace = $1 AND name = $2 AND version = $3""";

    private ReleaseReads() {
    }

    /** The package digest of {@code name@version} as this node published it, or empty when it did not. */
    static Future<Optional<String>> digest(SqlClient client, PackageName name, String version) {
        return client.preparedQuery(DIGEST).execute(Tuple.of(name.namespace(), name.name(), version)).map(rows ->
                rows.size() == 0 ? Optional.<String>empty() : Optional.of(rows.iterator().next().getString("digest")));
    }

    /**
     * {@code {"status", "evaluated", "evaluatedAt", "conditions", "missing", "decision"}}: {@code evaluated} is false
     * (and {@code conditions} empty) until the node's first evaluation of the version; {@code decision} is absent until
     * the first decision, then {@code {"sequence","status","logIndex","decidedAt","envelope"}}. {@code demoReports},
     * present only when {@code grove serve --demo} sent reports to the version, counts the reports that came from the
     * demo and not from visitors (table {@code demo_reports}, which only the node's own process writes).
     */
    public static Future<JsonObject> release(SqlClient client, String digest) {
        return client.preparedQuery(RELEASE).execute(Tuple.of(digest)).map(rows -> {
            JsonObject out = new JsonObject();
            if (rows.size() == 0) {
                return out.put("status", Status.EXPERIMENT.wireName()).put("evaluated", false)
                        .put("conditions", new JsonArray()).put("missing", new JsonArray());
            }
            Row r = rows.iterator().next();
            out.put("status", r.getString("status"));
            Integer demo = r.getInteger("demo_reports");
            if (demo != null && demo > 0) {
                // written only by this node's own process when grove serve --demo sent them (DemoReports)
                out.put("demoReports", demo);
            }
            Object stored = r.getValue("evaluation");
            if (stored instanceof JsonObject evaluation) {
                out.put("evaluated", true)
                        .put("evaluatedAt", r.getOffsetDateTime("evaluated_at").format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                        .put("verdict", evaluation.getString("status"))
                        .put("conditions", evaluation.getJsonArray("conditions"))
                        .put("missing", evaluation.getJsonArray("missing"));
            } else {
                out.put("evaluated", false).put("conditions", new JsonArray()).put("missing", new JsonArray());
            }
            if (r.getLong("sequence") != null) {
                out.put("decision", new JsonObject()
                        .put("sequence", r.getLong("sequence"))
                        .put("status", r.getString("d_status"))
                        .put("logIndex", r.getLong("log_index"))
                        .put("decidedAt", r.getOffsetDateTime("decided_at").format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                        .put("envelope", new JsonObject(r.getString("envelope"))));
            }
            return out;
        });
    }
}
