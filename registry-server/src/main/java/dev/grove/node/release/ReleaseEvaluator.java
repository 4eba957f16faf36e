package dev.grove.node.release;

import dev.grove.crypto.Sha256;
import dev.grove.dsse.Envelope;
import dev.grove.logentry.LogEntries;
import dev.grove.node.blob.BlobStore;
import dev.grove.node.problem.NotFound;
import dev.grove.node.log.LogAppender;
import dev.grove.node.log.LogEntryId;
import dev.grove.node.log.LogKey;
import dev.grove.node.release.ReleaseEvidence.ArtifactFact;
import dev.grove.node.release.ReleaseEvidence.Baseline;
import dev.grove.node.release.ReleaseEvidence.MetricFact;
import dev.grove.node.release.ReleaseEvidence.Reports;
import dev.grove.node.release.ReleaseEvidence.VersionFacts;
import dev.grove.pkg.EvaluationCard;
import dev.grove.pkg.LineageCard;
import dev.grove.pkg.Operator;
import dev.grove.pkg.PackageName;
import dev.grove.semver.SemVer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates this node's versions with {@link ReleaseRule} and records every status change as a signed, logged
 * {@link Decision}. Deployed once per node, it runs a round every {@link ReleasePolicy#interval()}; tests call
 * {@link #evaluateAll()} and {@link #evaluate(String)} directly.
 *
 * <p><b>Exactly once.</b> Several evaluators may run against one database (verticle instances, processes). A decision
 * is written in one transaction that first moves the version's status with
 * {@code UPDATE ... WHERE status = <the status the evaluator read>}: the row lock makes a second evaluator wait, and when
 * it proceeds its update matches no row (the status already moved), so it writes nothing. The decision row, its log
 * entry and the status change commit together or not at all.
 */
public final class ReleaseEvaluator extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseEvaluator.class);

    /** The advisory lock key of evaluation rounds: "grove-rl" as a big-endian long. */
    static final long ROUND_LOCK = 0x67726f76652d726cL;
    private static final String TRY_ROUND_LOCK = "SELECT pg_try_advisory_lock(" + ROUND_LOCK + ")";
    private static final String ROUND_UNLOCK = "SELECT pg_advisory_unlock(" + ROUND_LOCK + ")";

    private static final String CANDIDATES = """
            SELECT digest FROM package_versions WHERE origin = '' AND (NOT yanked OR status = 'promoted') ORDER BY id""";

    private static final String VERSION = """
            SELECT id, origin, namespace, name, version, digest, lineage_envelope, evaluation_envelope, license,
                   size_bytes, parameters, operator, status, yanked, yank_reason
              FROM package_versions WHERE digest = $1""";

    private static final String PROMOTED_OF_PACKAGE = """
            SELECT digest, version FROM package_versions
             WHERE origin = $1 AND namespace = $2 AND name = $3 AND status = 'promoted' AND NOT yanked AND digest <> $4""";

    private static final String ARTIFACTS = """
            SELECT path, media_type, digest FROM version_artifacts WHERE version_id = $1 ORDER BY path""";

    /** The reports aggregated in SQL: only counts, the day range and the median latency leave the database. */
    private static final String REPORTS = """
            SELECT count(*) AS n, count(*) FILTER (WHERE helped) AS yes, min(received_day) AS first_day,
                   max(received_day) AS last_day, count(latency_ms) AS latency_n,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) AS latency_median
              FROM reports WHERE package_digest = $1""";

    private static final String MOVE_STATUS = """
            UPDATE package_versions SET status = $3 WHERE digest = $1 AND origin = '' AND status = $2 RETURNING id""";

    private static final String NEXT_SEQUENCE = """
            SELECT coalesce(max(sequence), 0) + 1 FROM release_decisions WHERE origin = '' AND package_digest = $1""";

    private static final String INSERT_DECISION = """
            INSERT INTO release_decisions (origin, package_digest, sequence, status, envelope, log_entry)
            VALUES ('', $1, $2, $3, $4, $5)""";

    private static final String SAVE_EVALUATION = """
            INSERT INTO release_evaluations (package_digest, evaluation) VALUES ($1, $2)
            ON CONFLICT (package_digest) DO UPDATE SET evaluation = EXCLUDED.evaluation, evaluated_at = now()
             WHERE release_evaluations.evaluation IS DISTINCT FROM EXCLUDED.evaluation""";

    private final Pool pool;
    private final BlobStore blobs;
    private final LogKey key;
    private final LogAppender appender;
    private final ReleaseRule rule;
    private final MeterRegistry metrics;
    private volatile boolean stopped;
    private long timer = -1;
    private Future<?> inFlight = Future.succeededFuture();

    /**
     * @param key      signs the decisions (the node's log key, which peers already pin)
     * @param appender appends the {@code decision/v1} entries in the decision's transaction
     * @param minimumReports the node's minimum for reports ({@code ReportSettings#minimumReports}): below it no figure
     *                 of a version's reports reaches the rule, its evaluations or its decisions
     * @param metrics  counts the decisions made, by status ({@code grove_release_decisions_total})
     */
    public ReleaseEvaluator(Pool pool, BlobStore blobs, LogKey key, LogAppender appender, ReleasePolicy policy,
                            long minimumReports, MeterRegistry metrics) {
        this.pool = pool;
        this.blobs = blobs;
        this.key = key;
        this.appender = appender;
        this.rule = new ReleaseRule(policy, minimumReports);
        this.metrics = metrics;
    }

    public ReleasePolicy policy() {
        return rule.policy();
    }

    @Override
    public Future<?> start() {
        schedule();
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        stopped = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        return inFlight.otherwiseEmpty();
    }

    private void schedule() {
        if (stopped) {
            return;
        }
        timer = vertx.setTimer(rule.policy().interval().toMillis(), id -> {
            timer = -1;
            inFlight = evaluateAll().onComplete(ar -> {
                if (ar.failed()) {
                    LOG.error("release evaluation round failed: {}", ar.cause().toString());
                } else if (!ar.result().isEmpty()) {
                    LOG.info("release evaluation round: {} decision(s)", ar.result().size());
                }
                schedule();
            });
        });
    }

    /**
     * One round: evaluates every version published on this node that is not yanked (and demotes a promoted one that
     * was), one after the other, and returns
     * the decisions it made (none for versions whose status did not change, or that another evaluator changed first).
     * Processes sharing the database take turns under a session advisory lock, so that they do not all evaluate every
     * version each interval; a process that finds a round running skips its own. (Correctness does not rest on it:
     * {@link #evaluate} records each change once however many evaluators run.)
     */
    public Future<List<Decision>> evaluateAll() {
        return pool.withConnection(conn -> conn.query(TRY_ROUND_LOCK).execute().compose(locked -> {
            if (!locked.iterator().next().getBoolean(0)) {
                return Future.succeededFuture(List.<Decision>of());
            }
            return round().eventually(() -> conn.query(ROUND_UNLOCK).execute());
        }));
    }

    private Future<List<Decision>> round() {
        return pool.preparedQuery(CANDIDATES).execute().compose(rows -> {
            List<String> digests = new ArrayList<>();
            rows.forEach(r -> digests.add(r.getString("digest")));
            return each(digests, 0, new ArrayList<>());
        });
    }

    private Future<List<Decision>> each(List<String> digests, int i, List<Decision> made) {
        io.vertx.core.Promise<List<Decision>> done = io.vertx.core.Promise.promise();
        next(digests, i, made, done);
        return done.future();
    }

    /**
     * Evaluates the versions from {@code i} on, one after the other, then completes {@code done}. Each next one is
     * started from the previous one's completion rather than composed onto it, so that a round over many versions does
     * not build a chain of futures as long as the round, whose completion would overflow the stack.
     */
    private void next(List<String> digests, int i, List<Decision> made, io.vertx.core.Promise<List<Decision>> done) {
        if (i >= digests.size() || stopped) {
            done.complete(made);
            return;
        }
        evaluate(digests.get(i)).onComplete(result -> {
            if (result.succeeded()) {
                result.result().ifPresent(made::add);
            } else {
                LOG.warn("cannot evaluate {}: {}", digests.get(i), result.cause().toString());
            }
            next(digests, i + 1, made, done);
        });
    }

    /**
     * Evaluates one version of this node, stores the evaluation and, when the verdict differs from the version's
     * status, makes the decision. Returns the decision this call made, if any.
     */
    public Future<Optional<Decision>> evaluate(String digest) {
        return version(digest).compose(row -> {
            if (row.isEmpty() || !row.get().getString("origin").isEmpty()) {
                return Future.succeededFuture(Optional.<Decision>empty());
            }
            Row v = row.get();
            Status current = Status.fromWire(v.getString("status"));
            if (v.getBoolean("yanked") && current != Status.PROMOTED) {
                return Future.succeededFuture(Optional.<Decision>empty()); // withdrawn: nothing left to decide
            }
            return gather(v).compose(evidence -> {
                Evaluation e = judge(v, evidence);
                JsonObject json = ReleaseJson.evaluation(evidence, e, rule.policy());
                return pool.preparedQuery(SAVE_EVALUATION).execute(Tuple.of(digest, json)).compose(saved ->
                        e.status() == current ? Future.succeededFuture(Optional.<Decision>empty())
                                : decide(v, current, evidence, e));
            });
        });
    }

    /** The evidence and the rule's verdict on one version this node holds; 404 when it holds no such version. */
    public Future<JsonObject> explain(String digest) {
        return version(digest).compose(row -> {
            if (row.isEmpty()) {
                return Future.failedFuture(new NotFound("no package with digest " + digest + " on this node"));
            }
            return gather(row.get()).map(evidence -> {
                Evaluation e = judge(row.get(), evidence);
                return ReleaseJson.evaluation(evidence, e, rule.policy())
                        .put("policy", ReleaseJson.policy(rule.policy(), rule.minimumReports()));
            });
        });
    }

    /** The rule's verdict, and for a version its namespace yanked, the standing it lost with the yank. */
    private Evaluation judge(Row v, ReleaseEvidence evidence) {
        Evaluation e = rule.evaluate(evidence);
        if (!v.getBoolean("yanked")) {
            return e;
        }
        String reason = v.getString("yank_reason");
        return e.withdrawn(reason == null ? "" : reason);
    }

    private Future<Optional<Decision>> decide(Row v, Status previous, ReleaseEvidence evidence, Evaluation e) {
        String digest = v.getString("digest");
        PackageName name = PackageName.parse(v.getString("namespace") + "/" + v.getString("name"));
        String version = v.getString("version");
        Status next = e.status();
        return pool.withTransaction(tx -> tx.preparedQuery(MOVE_STATUS)
                .execute(Tuple.of(digest, previous.wireName(), next.wireName()))
                .compose(moved -> {
                    if (moved.size() == 0) {
                        // another evaluator changed this version's status since it was read: its decision stands
                        return Future.succeededFuture(Optional.<Made>empty());
                    }
                    return tx.preparedQuery(NEXT_SEQUENCE).execute(Tuple.of(digest)).compose(seq -> {
                        long sequence = seq.iterator().next().getLong(0);
                        byte[] payload = payload(name, version, digest, sequence, previous, next, evidence, e)
                                .encode().getBytes(StandardCharsets.UTF_8);
                        Envelope envelope = key.signStatement(Decision.PAYLOAD_TYPE, payload);
                        byte[] entry = LogEntries.decision(name, version, Sha256.parse(digest), next.wireName(), envelope);
                        return appender.append(tx, entry).compose(logged -> tx.preparedQuery(INSERT_DECISION)
                                .execute(Tuple.of(digest, sequence, next.wireName(), envelope.toJsonString(),
                                        logged.value()))
                                .map(ok -> Optional.of(new Made(sequence, envelope, logged))));
                    });
                })).compose(made -> made.isEmpty() ? Future.succeededFuture(Optional.<Decision>empty())
                        // committed: the decision stands; its index comes from the log's sequencer
                        : appender.indexOf(made.get().entry()).compose(index -> index.isPresent()
                                ? Future.succeededFuture(Optional.of(new Decision(digest, made.get().sequence(),
                                        previous, next, made.get().envelope(), index.getAsLong())))
                                : Future.failedFuture(new IllegalStateException("decision " + made.get().sequence()
                                        + " on " + digest + " is stored, but its log entry was not sequenced in time"))))
                .onSuccess(made -> made.ifPresent(d -> Counter.builder("grove.release.decisions")
                        .description("Release decisions this node made, by the status they gave")
                        .tag("status", d.status().wireName()).register(metrics).increment()));
    }

    /** A decision committed, its log entry not numbered yet. */
    private record Made(long sequence, Envelope envelope, LogEntryId entry) {
    }

    /** The signed statement: what was decided about which version, on which conditions and evidence. */
    private JsonObject payload(PackageName name, String version, String digest, long sequence, Status previous,
                               Status next, ReleaseEvidence evidence, Evaluation e) {
        return new JsonObject()
                .put("schema", Decision.SCHEMA)
                .put("node", key.origin())
                .put("subject", new JsonObject().put("name", name.toString()).put("version", version).put("digest", digest))
                .put("sequence", sequence)
                .put("previous", previous.wireName())
                .put("status", next.wireName())
                .put("decidedAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
                .put("policy", ReleaseJson.policy(rule.policy(), rule.minimumReports()))
                .put("conditions", ReleaseJson.conditions(e))
                .put("evidence", ReleaseJson.evidence(evidence, e, rule.policy()));
    }

    private Future<Optional<Row>> version(String digest) {
        return pool.preparedQuery(VERSION).execute(Tuple.of(digest)).map(ReleaseEvaluator::first);
    }

    private Future<ReleaseEvidence> gather(Row v) {
        return facts(v).compose(candidate -> baseline(v).map(b -> new ReleaseEvidence(candidate, b)));
    }

    /**
     * The first parent of the lineage card (a cascade's last member); for a version without parents, the newest
     * promoted version before it.
     */
    private Future<Baseline> baseline(Row v) {
        LineageCard lineage = LineageCard.parse(payload(v.getString("lineage_envelope")));
        if (!lineage.parents().isEmpty()) {
            // a cascade stands in for its last (largest) member
            int which = lineage.operator() == Operator.CASCADE ? lineage.parents().size() - 1 : 0;
            String parent = lineage.parents().get(which).digest().toString();
            return version(parent).compose(p -> p.isEmpty()
                    ? Future.succeededFuture((Baseline) new Baseline.MissingParent(parent))
                    : facts(p.get()).map(Baseline.Parent::new));
        }
        SemVer self = SemVer.parse(v.getString("version"));
        return pool.preparedQuery(PROMOTED_OF_PACKAGE)
                .execute(Tuple.of(v.getString("origin"), v.getString("namespace"), v.getString("name"), v.getString("digest")))
                .compose(rows -> {
                    Optional<Row> newest = Optional.empty();
                    for (Row r : rows) {
                        SemVer s = SemVer.parse(r.getString("version"));
                        if (s.compareTo(self) < 0 && newest.map(n -> SemVer.parse(n.getString("version")).compareTo(s) < 0)
                                .orElse(true)) {
                            newest = Optional.of(r);
                        }
                    }
                    if (newest.isEmpty()) {
                        return Future.succeededFuture((Baseline) new Baseline.None());
                    }
                    return version(newest.get().getString("digest")).compose(p -> facts(p.orElseThrow()))
                            .map(Baseline.Promoted::new);
                });
    }

    private Future<VersionFacts> facts(Row v) {
        String digest = v.getString("digest");
        Future<List<ArtifactFact>> own = pool.preparedQuery(ARTIFACTS).execute(Tuple.of(v.getLong("id")))
                .compose(this::artifacts);
        Future<List<ArtifactFact>> artifacts = !"cascade".equals(v.getString("operator")) ? own
                : own.compose(mine -> memberArtifacts(v).map(members -> {
                    List<ArtifactFact> all = new ArrayList<>(mine);
                    all.addAll(members);
                    return all;
                }));
        Future<Reports> reports = pool.preparedQuery(REPORTS).execute(Tuple.of(digest)).map(this::reports);
        return Future.all(artifacts, reports).map(all -> new VersionFacts(digest,
                v.getString("namespace") + "/" + v.getString("name") + "@" + v.getString("version"),
                v.getString("operator"), v.getString("license"), v.getLong("size_bytes"), v.getLong("parameters"),
                artifacts.result(), metrics(v.getString("evaluation_envelope")), reports.result()));
    }

    /**
     * A cascade's weights are its members': their artifacts (path prefixed with the member's ref), so that autonomy
     * asks whether they can be exported from this node; a member this node does not hold counts as weights it cannot
     * serve.
     */
    private Future<List<ArtifactFact>> memberArtifacts(Row v) {
        LineageCard lineage = LineageCard.parse(payload(v.getString("lineage_envelope")));
        List<Future<List<ArtifactFact>>> members = new ArrayList<>();
        for (var parent : lineage.parents()) {
            String digest = parent.digest().toString();
            members.add(version(digest).compose(row -> {
                if (row.isEmpty()) {
                    return Future.succeededFuture(List.of(new ArtifactFact("member " + digest, ReleaseRule.SAFETENSORS,
                            false)));
                }
                Row m = row.get();
                String ref = m.getString("namespace") + "/" + m.getString("name") + "@" + m.getString("version");
                return pool.preparedQuery(ARTIFACTS).execute(Tuple.of(m.getLong("id"))).compose(this::artifacts)
                        .map(list -> list.stream().map(a -> new ArtifactFact(ref + ": " + a.path(), a.mediaType(),
                                a.fetchable())).toList());
            }));
        }
        return Future.all(members).map(all -> members.stream().flatMap(f -> f.result().stream()).toList());
    }

    /** Each artifact with whether the blob store holds it: weights a visitor cannot fetch cannot be exported. */
    private Future<List<ArtifactFact>> artifacts(RowSet<Row> rows) {
        List<Future<ArtifactFact>> out = new ArrayList<>();
        for (Row a : rows) {
            String path = a.getString("path");
            String mediaType = a.getString("media_type");
            out.add(blobs.stat(Sha256.parse(a.getString("digest")))
                    .map(info -> new ArtifactFact(path, mediaType, info.isPresent()))
                    .otherwise(new ArtifactFact(path, mediaType, false)));
        }
        return Future.all(out).map(all -> out.stream().map(Future::result).toList());
    }

    private static List<MetricFact> metrics(String evaluationEnvelope) {
        EvaluationCard card = EvaluationCard.parse(payload(evaluationEnvelope));
        List<MetricFact> out = new ArrayList<>();
        for (EvaluationCard.Evaluation e : card.evaluations()) {
            for (EvaluationCard.Metric m : e.metrics()) {
                out.add(new MetricFact(e.datasetName(), e.datasetDigest().toString(), m.name(), m.value(), m.samples()));
            }
        }
        return out;
    }

    /** The aggregate, through the one gate that keeps every figure of fewer than the minimum reports out. */
    private Reports reports(RowSet<Row> rows) {
        Row r = rows.iterator().next();
        Double median = r.getDouble("latency_median");
        return Reports.of(rule.minimumReports(), r.getLong("n"), r.getLong("yes"),
                Optional.ofNullable(r.getLocalDate("first_day")), Optional.ofNullable(r.getLocalDate("last_day")),
                r.getLong("latency_n"), median == null ? 0 : median);
    }

    private static byte[] payload(String envelopeJson) {
        return Base64.getDecoder().decode(new JsonObject(envelopeJson).getString("payload"));
    }

    private static Optional<Row> first(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next());
    }
}
