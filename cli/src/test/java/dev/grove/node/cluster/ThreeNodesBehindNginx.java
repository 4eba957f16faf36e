package dev.grove.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.blind.Base64Url;
import dev.grove.blind.BlindRsaPublicKey;
import dev.grove.blind.BlindSignatureException;
import dev.grove.checkpoint.Checkpoint;
import dev.grove.checkpoint.CheckpointVerifier;
import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.crypto.Sha256;
import dev.grove.dsse.Envelope;
import dev.grove.dsse.EnvelopeSigner;
import dev.grove.logentry.LogEntries;
import dev.grove.node.Features;
import dev.grove.node.Node;
import dev.grove.node.crash.NodeProcess;
import dev.grove.node.crash.StoredRows;
import dev.grove.node.health.NodeMetrics;
import dev.grove.node.testing.Eventually;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.NodeHttp.Reply;
import dev.grove.node.testing.TestNode;
import dev.grove.node.testing.TestPackage;
import dev.grove.note.NoteVerifier;
import dev.grove.pkg.Artifact;
import dev.grove.pkg.KeysetChange;
import dev.grove.pkg.PackageRef;
import dev.grove.pkg.PayloadTypes;
import dev.grove.reports.ReportToken;
import dev.grove.reports.ReportTokens;
import dev.grove.tlog.EntryBundle;
import dev.grove.tlog.HashSources;
import dev.grove.tlog.HashTile;
import dev.grove.tlog.MerkleHash;
import dev.grove.tlog.ProofException;
import dev.grove.tlog.TilePath;
import dev.grove.verify.TrustPolicy;
import dev.grove.verify.VerifiedVersion;
import dev.grove.verify.VersionDocument;
import dev.grove.verify.VersionVerifier;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code grove.jar serve} processes on one PostgreSQL database and one blob store, behind nginx balancing
 * round-robin: one node to its clients. Everything a client does goes through nginx, so each request lands on whichever
 * process is next; what is read back is read from every process directly as well. The scenarios run in order on one
 * cluster:
 *
 * <ol>
 *   <li>concurrent publishes (real keys, several namespaces whose first publishes race), a yank and a keyset change;</li>
 *   <li>every process serves every version identically, and each verifies with the one verifier (signatures and the log
 *       inclusion proof against the log key the processes share);</li>
 *   <li>the log is dense (0..n-1), in order (a namespace's keyset before its packages, a package before its yank), every
 *       entry's leaf in the tiles, and every checkpoint ever signed is a prefix of the one tree: integration rounds never
 *       overlapped;</li>
 *   <li>reports sent through nginx promote a version, and the decision is made and logged exactly once;</li>
 *   <li>a mirror following the node through nginx copies all of it;</li>
 *   <li>a process killed with {@code kill -9} amid concurrent publishes loses nothing that was acknowledged and leaves
 *       nothing half-written (rows, or blobs read from the blob store itself), and the two others keep serving;</li>
 *   <li>a fourth process started on the same database with an empty data directory (so other keys) refuses to start,
 *       saying which keys and what to copy, and the node keeps serving;</li>
 *   <li>the killed process, started again on its data directory, serves everything and takes publishes, and leaves
 *       the unfinished uploads in the blob store alone while the others run (one may be theirs, in flight).</li>
 * </ol>
 *
 * Subclasses choose the blob store and where the secrets come from ({@link NodeCluster.ClusterStorage}). No timing is
 * asserted; deadlines only keep a hung cluster from hanging the build.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
abstract class ThreeNodesBehindNginx {

    private static final int PROCESSES = 3;
    private static final int NAMESPACES = 4;
    private static final int PUBLISHERS = 6;
    private static final int PER_PUBLISHER = 6;
    private static final int MIN_REPORTS = 5;
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a version was published as, and what the node answered (0 until answered, -1 when the request failed). */
    record Attempt(TestPackage pkg, AtomicInteger status) {
        boolean acknowledged() {
            return status.get() == 200 || status.get() == 201;
        }

        String ref() {
            return pkg.name() + "@" + pkg.version();
        }
    }

    private final Map<String, Ed25519PrivateKey> keys = new ConcurrentHashMap<>();
    private final Map<String, Attempt> attempts = new ConcurrentHashMap<>();
    private final SplittableRandom seeds = new SplittableRandom(20261202L);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private NodeCluster cluster;
    private NodeHttp balanced;
    private String logKey;
    private TrustPolicy policy;
    private String yanked;
    private final List<Integer> alive = new ArrayList<>();

    @TempDir
    Path mirrorData;

    /** Where the processes keep blobs and secrets. */
    abstract NodeCluster.ClusterStorage storage() throws IOException;

    @BeforeAll
    void startCluster() throws Exception {
        cluster = NodeCluster.start(PROCESSES, storage(), List.of("--release-interval", "1",
                "--min-reports", Integer.toString(MIN_REPORTS), "--report-token-burst", "200"));
        balanced = new NodeHttp(cluster.port());
        for (int i = 0; i < PROCESSES; i++) {
            alive.add(i);
        }
        // one log key and one origin, whichever process answers
        List<String> announced = new ArrayList<>();
        for (NodeProcess p : cluster.processes()) {
            announced.add(new NodeHttp(p.port()).get("/.well-known/grove/log-key").body().strip());
        }
        assertThat(announced).as("the log key every process announces").containsOnly(announced.get(0));
        logKey = announced.get(0);
        assertThat(logKey).startsWith(URI.create(cluster.url()).getAuthority() + "/grove-log+");
        policy = TrustPolicy.forLog(NoteVerifier.parse(logKey));
    }

    @AfterAll
    void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    // -----------------------------------------------------------------------------------------------------------------
    // The scenarios

    @Test
    @Order(1)
    void publishesYanksAndKeysetChangesWorkThroughAnyProcess() throws Exception {
        List<Attempt> sent = publishConcurrently("p", PUBLISHERS, PER_PUBLISHER);
        for (Attempt a : sent) {
            assertThat(a.status().get()).as("publish of " + a.ref() + " through nginx" + cluster.logs()).isEqualTo(201);
        }
        // the same bundle again, through whichever process: already there
        Attempt again = sent.get(0);
        assertThat(balanced.publish(again.pkg()).status()).isEqualTo(200);

        // a yank signed by the namespace's key, through nginx; sent again it changes nothing
        Attempt victim = sent.get(1);
        yanked = victim.ref();
        Envelope yank = yank(victim.pkg(), keys.get(namespaceOf(victim)));
        String yankPath = "/v1/packages/" + victim.pkg().name() + "/versions/" + victim.pkg().version() + "/yank";
        Reply first = balanced.post(yankPath, yank.toJsonString());
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        for (NodeProcess p : cluster.processes()) {
            Reply repeated = new NodeHttp(p.port()).post(yankPath, yank.toJsonString());
            assertThat(repeated.status()).isEqualTo(200);
            assertThat(repeated.json().getBoolean("changed")).as("the yank sent again to process " + p.port()).isFalse();
        }

        // the namespace "n0" moves to a new key, through nginx; then every process takes the new key and refuses the old
        Ed25519PrivateKey old = keys.get("n0");
        Ed25519PrivateKey next = Ed25519PrivateKey.generate();
        Reply changed = balanced.post("/v1/namespaces/n0/keyset", keysetChange("n0", 2, old, next).toJsonString());
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        keys.put("n0", next);
        for (int i = 0; i < PROCESSES; i++) {
            NodeHttp direct = new NodeHttp(cluster.processes().get(i).port());
            Attempt refused = attempt("n0/rotated", "1.0." + i, 2048, old);
            Reply r = direct.publish(refused.pkg());
            assertThat(r.status()).as("a publish signed with the retired key, sent to process " + i + ": " + r.body())
                    .isEqualTo(403);
            attempts.remove(refused.ref());
            Attempt accepted = attempt("n0/rotated", "1.0." + i, 2048, next);
            r = direct.publish(accepted.pkg());
            accepted.status().set(r.status());
            assertThat(r.status()).as("a publish signed with the new key, sent to process " + i + ": " + r.body())
                    .isEqualTo(201);
        }
    }

    @Test
    @Order(2)
    void everyProcessServesTheSameProvenVersions() throws Exception {
        checkEveryVersionEverywhere();
    }

    @Test
    @Order(3)
    void theLogIsDenseInOrderAndEveryCheckpointExtendsTheLast() throws Exception {
        checkLog();
    }

    @Test
    @Order(4)
    void aReleaseDecisionIsMadeOnceWhicheverProcessesEvaluate() throws Exception {
        Attempt pkg = attempt("n1/released", "1.0.0", 4096, keys.get("n1"));
        assertThat(balanced.publish(pkg.pkg()).status()).isEqualTo(201);
        pkg.status().set(201);
        // every report gets its token and is sent through nginx: token and report usually land on different processes
        BlindRsaPublicKey issuer = issuer(balanced);
        for (NodeProcess p : cluster.processes()) {
            assertThat(issuer(new NodeHttp(p.port())).modulus()).as("the report issuer key of process " + p.port())
                    .isEqualTo(issuer.modulus());
        }
        for (int i = 0; i < MIN_REPORTS * 3; i++) {
            Reply r = report(issuer, pkg.pkg().digest());
            assertThat(r.status()).as("report " + i + ": " + r.body()).isEqualTo(202);
        }
        String path = "/v1/packages/n1/released/versions/1.0.0";
        Eventually.await(PATIENCE, () -> "promoted".equals(balanced.get(path).json().getString("status")),
                "n1/released@1.0.0 promoted by the evaluator of one of the processes");
        // further rounds (one per second, in whichever process gets the round) decide nothing more
        awaitEntries(entries -> count(entries, LogEntries.DECISION, pkg.pkg().digest()) >= 1);
        Thread.sleep(3000); // not an assertion: lets three more evaluation rounds run before counting
        List<JsonObject> entries = awaitSettledLog();
        assertThat(count(entries, LogEntries.DECISION, pkg.pkg().digest()))
                .as("decision/v1 entries about n1/released@1.0.0").isEqualTo(1);
        try (Connection c = cluster.jdbc(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM release_decisions WHERE package_digest = '"
                     + pkg.pkg().digest() + "'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("stored decisions about n1/released@1.0.0").isEqualTo(1);
        }
        for (NodeProcess p : cluster.processes()) {
            JsonObject doc = new NodeHttp(p.port()).get(path).json();
            assertThat(doc.getString("status")).as("status served by process " + p.port()).isEqualTo("promoted");
        }
    }

    @Test
    @Order(5)
    void aMirrorFollowingTheBalancerCopiesEverything() throws Exception {
        Vertx vertx = NodeMetrics.createVertx();
        Node mirror = TestNode.start(vertx, TestNode.config(mirrorData).withPeers(List.of(cluster.url() + "#" + logKey))
                .withFollowInterval(Duration.ofMillis(200)), Features::all);
        try {
            NodeHttp http = new NodeHttp(mirror.port());
            String origin = balanced.get("/.well-known/grove/node").json().getString("logOrigin");
            long size = checkpoint(balanced).size();
            Eventually.await(PATIENCE, () -> nextEntry(http) >= size, "the mirror copied " + size + " entries");
            TrustPolicy mirrored = TrustPolicy.forLog(NoteVerifier.parse(logKey));
            for (Attempt a : acknowledged()) {
                String path = "/v1/origins/" + URLEncoder.encode(origin, StandardCharsets.UTF_8) + "/packages/"
                        + a.pkg().name() + "/versions/" + a.pkg().version();
                Reply r = http.get(path);
                assertThat(r.status()).as("the mirror's copy of " + a.ref() + ": " + r.body()).isEqualTo(200);
                VerifiedVersion v = VersionVerifier.verify(VersionDocument.parse(r.body()), PackageRef.parse(a.ref()),
                        mirrored, now());
                assertThat(v.pkg().digest()).isEqualTo(a.pkg().digest());
                assertThat(r.json().getBoolean("yanked")).as("yanked, in the mirror: " + a.ref())
                        .isEqualTo(a.ref().equals(yanked));
            }
            assertThat(http.get("/v1/origins/" + URLEncoder.encode(origin, StandardCharsets.UTF_8)
                    + "/packages/n1/released/versions/1.0.0").json().getString("status")).isEqualTo("promoted");
        } finally {
            TestNode.stop(mirror, vertx);
        }
    }

    @Test
    @Order(6)
    void aProcessKilledMidPublishLosesNothingAndTheOthersKeepServing() throws Exception {
        NodeProcess victim = cluster.processes().get(1);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger acknowledged = new AtomicInteger();
        AtomicInteger afterKill = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(PUBLISHERS);
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < PUBLISHERS; w++) {
            int worker = w;
            running.add(pool.submit(() -> {
                String name = "n" + (worker % NAMESPACES) + "/k" + worker;
                for (int minor = 0; !stop.get(); minor++) {
                    Attempt a = attempt(name, "2." + minor + ".0", 32 << 10, keys.get("n" + (worker % NAMESPACES)));
                    publish(a, balanced);
                    if (a.status().get() == 201) {
                        acknowledged.incrementAndGet();
                        if (killed.get()) {
                            afterKill.incrementAndGet();
                        }
                    }
                }
                return null;
            }));
        }
        try {
            Eventually.await(PATIENCE, () -> acknowledged.get() >= 12, "12 publishes acknowledged before the kill");
            victim.killHard();
            killed.set(true);
            alive.remove(Integer.valueOf(1));
            Eventually.await(PATIENCE, () -> afterKill.get() >= 12, "12 publishes acknowledged after the kill");
        } finally {
            stop.set(true);
            for (Future<?> f : running) {
                f.get(120, TimeUnit.SECONDS);
            }
            pool.shutdown();
        }
        // every acknowledged publish is there and proven, through each survivor; the rest are whole or absent
        checkEveryVersionEverywhere();
        checkLog();
        checkNothingHalfWritten();
        // the survivors take new publishes, through nginx and directly
        for (int i : alive) {
            Attempt a = attempt("n2/after-kill", "1.0." + i, 2048, keys.get("n2"));
            assertThat(new NodeHttp(cluster.processes().get(i).port()).publish(a.pkg()).status()).isEqualTo(201);
            a.status().set(201);
        }
        Attempt last = attempt("n3/after-kill", "1.0.0", 2048, keys.get("n3"));
        assertThat(balanced.publish(last.pkg()).status()).isEqualTo(201);
        last.status().set(201);
        checkEveryVersionEverywhere();
    }

    @Test
    @Order(7)
    void aProcessWithOtherKeysRefusesToStartAndTheNodeKeepsServing() throws Exception {
        Path empty = cluster.work().resolve("stranger-data");
        NodeProcess stranger = cluster.startExtra(empty);
        assertThat(stranger.process().waitFor(120, TimeUnit.SECONDS)).as("the fourth process exits"
                + stranger.logTail()).isTrue();
        assertThat(stranger.process().exitValue()).as("exit status of the fourth process: " + stranger.logTail())
                .isEqualTo(1);
        String log = Files.readString(stranger.log(), StandardCharsets.UTF_8);
        assertThat(log).as("what the fourth process said")
                .contains("grove serve: the node did not start: the log key in "
                        + empty.resolve("log-key.json").toAbsolutePath() + ", the report issuer key in "
                        + empty.resolve("report-key.json").toAbsolutePath() + ", the witness key in "
                        + empty.resolve("witness-key.json").toAbsolutePath() + " are not the keys the other processes of "
                        + "this node hold")
                .contains("copy log-key.json, report-key.json, witness-key.json from the data directory of a process "
                        + "already running into " + empty.toAbsolutePath());
        try (Connection c = cluster.jdbc(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM shared_keys")) {
            rs.next();
            assertThat(rs.getInt(1)).as("keys recorded: the node's three, none of the stranger's").isEqualTo(3);
        }
        // the node still serves through nginx and every live process, reads and publishes
        for (int i : alive) {
            assertThat(new NodeHttp(cluster.processes().get(i).port()).get("/healthz").status()).isEqualTo(200);
        }
        Attempt after = attempt("n1/after-stranger", "1.0.0", 2048, keys.get("n1"));
        assertThat(balanced.publish(after.pkg()).status()).isEqualTo(201);
        after.status().set(201);
        checkEveryVersionEverywhere();
    }

    @Test
    @Order(8)
    void theKilledProcessRestartsOnItsDataDirectoryAndServesEverything() throws Exception {
        // an upload in flight in one of the running processes, as far as the store shows (begun beside them, so that
        // it is sure to be in flight while the killed process starts again)
        String inFlight = cluster.storage().beginUpload(cluster.work());
        List<String> left = cluster.storage().unfinishedUploads(cluster.work());
        assertThat(left).contains(inFlight);
        cluster.restart(1);
        alive.add(1);
        // the others run: a starting process cannot tell their uploads in flight from what the kill left, so keeps both
        assertThat(cluster.storage().unfinishedUploads(cluster.work()))
                .as("unfinished uploads in " + cluster.storage().name() + " after a restart beside running processes")
                .containsAll(left);
        Attempt a = attempt("n3/after-restart", "1.0.0", 2048, keys.get("n3"));
        assertThat(new NodeHttp(cluster.processes().get(1).port()).publish(a.pkg()).status()).isEqualTo(201);
        a.status().set(201);
        checkEveryVersionEverywhere();   // process 1 among them: every version, its new one too
        checkLog();
    }

    // -----------------------------------------------------------------------------------------------------------------
    // Checks

    /**
     * Every version tried: acknowledged ones are served by every live process, the same document everywhere once the
     * log has integrated them, and each verifies with the one verifier (signatures, digest, log inclusion); versions not
     * acknowledged are whole or absent; the yanked one is yanked everywhere.
     */
    private void checkEveryVersionEverywhere() throws Exception {
        List<JsonObject> entries = awaitSettledLog();
        assertThat(entries).isNotEmpty();
        for (Attempt a : attempts.values()) {
            String path = "/v1/packages/" + a.pkg().name() + "/versions/" + a.pkg().version();
            List<String> served = Eventually.await(PATIENCE, () -> {
                List<String> bodies = new ArrayList<>();
                for (int i : alive) {
                    Reply r = new NodeHttp(cluster.processes().get(i).port()).get(path);
                    bodies.add(r.status() + " " + r.body());
                }
                return bodies;
            }, bodies -> bodies.stream().distinct().count() == 1, "every process serves the same document of " + a.ref());
            String one = served.get(0);
            if (a.acknowledged()) {
                assertThat(one).as(a.ref() + " was acknowledged with " + a.status().get()).startsWith("200 ");
            } else {
                assertThat(one.substring(0, 4)).as(a.ref() + " (not acknowledged) is whole or absent").isIn("200 ", "404 ");
            }
            if (one.startsWith("200 ")) {
                String body = one.substring(4);
                VerifiedVersion v = VersionVerifier.verify(VersionDocument.parse(body), PackageRef.parse(a.ref()),
                        policy, now());
                assertThat(v.pkg().digest()).as(a.ref()).isEqualTo(a.pkg().digest());
                JsonObject doc = new JsonObject(body);
                assertThat(doc.getBoolean("yanked")).as("yanked: " + a.ref()).isEqualTo(a.ref().equals(yanked));
                long index = doc.getJsonObject("log").getLong("index");
                assertThat(entries.get((int) index).getString("kind")).isEqualTo(LogEntries.PACKAGE);
                assertThat(entries.get((int) index).getString("digest")).isEqualTo(a.pkg().digest().toString());
                for (Artifact artifact : v.pkg().contract().artifacts()) {
                    assertThat(cluster.storage().blob(cluster.work(), artifact.digest()).map(Sha256::of))
                            .as(a.ref() + " " + artifact.path() + " in " + cluster.storage().name())
                            .contains(artifact.digest());
                    for (int i : alive) {
                        byte[] blob = getBytes(cluster.processes().get(i).port(), "/v1/blobs/" + artifact.digest());
                        assertThat(Sha256.of(blob)).as(a.ref() + " " + artifact.path() + " from process " + i)
                                .isEqualTo(artifact.digest());
                    }
                }
            }
        }
    }

    /**
     * The log through nginx and from every process: one checkpoint, verified with the shared key; entry bundles whose
     * leaves are the level-0 tiles and reproduce its root; entries dense 0..n-1 in the database; keysets before their
     * namespaces' packages, packages before their yanks and decisions; and every checkpoint ever stored a prefix of this
     * tree (two integrators extending the log at once would have signed two different trees of one size, or a tree that
     * the tiles of the other do not reproduce).
     */
    private void checkLog() throws Exception {
        List<JsonObject> entries = awaitSettledLog();
        Checkpoint cp = checkpoint(balanced);
        for (int i : alive) {
            assertThat(checkpoint(new NodeHttp(cluster.processes().get(i).port())).size())
                    .as("the checkpoint of process " + i).isEqualTo(cp.size());
        }
        Map<String, Long> keysets = new HashMap<>();
        Map<String, Long> packages = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            JsonObject e = entries.get(i);
            switch (e.getString("kind")) {
                case LogEntries.KEYSET -> keysets.putIfAbsent(e.getString("namespace"), (long) i);
                case LogEntries.PACKAGE -> {
                    String namespace = e.getString("name").split("/")[0];
                    assertThat(keysets).as("the keyset of " + namespace + " is logged before its package at " + i)
                            .containsKey(namespace);
                    assertThat(packages.put(e.getString("digest"), (long) i)).as("package logged twice: " + e).isNull();
                }
                case LogEntries.YANK, LogEntries.DECISION -> assertThat(packages).as("entry " + i + " follows its package")
                        .containsKey(e.getString("digest"));
                default -> throw new AssertionError("unexpected entry kind at " + i + ": " + e);
            }
        }
        assertThat(packages.keySet()).as("logged packages = versions stored")
                .containsExactlyInAnyOrderElementsOf(storedDigests());

        try (Connection c = cluster.jdbc(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT count(*), coalesce(max(idx) + 1, 0) FROM log_entries")) {
                rs.next();
                assertThat(rs.getLong(1)).as("log entries are dense: count = max(idx) + 1").isEqualTo(rs.getLong(2));
                assertThat(rs.getLong(1)).isEqualTo(cp.size());
            }
            Map<TilePath, byte[]> tiles = new HashMap<>();
            try (ResultSet rs = s.executeQuery("SELECT level, idx, width, hashes FROM log_tiles")) {
                while (rs.next()) {
                    tiles.put(TilePath.tile(rs.getInt(1), rs.getLong(2), rs.getInt(3)), rs.getBytes(4));
                }
            }
            HashSources.TileReader stored = path -> {
                byte[] tile = tiles.get(path);
                if (tile == null) {
                    throw new ProofException("stored tile " + path + " is missing");
                }
                return tile;
            };
            int checkpoints = 0;
            try (ResultSet rs = s.executeQuery("SELECT size, root, note FROM log_checkpoints ORDER BY size")) {
                while (rs.next()) {
                    long size = rs.getLong(1);
                    Checkpoint signed = CheckpointVerifier.verify(rs.getString(3), logKey);
                    assertThat(signed.size()).isEqualTo(size);
                    assertThat(signed.rootHash()).isEqualTo(rs.getBytes(2));
                    assertThat(size == 0 ? MerkleHash.emptyRoot() : HashSources.fromTiles(stored, size).rootHash(size))
                            .as("checkpoint " + size + " is a prefix of the one tree").isEqualTo(signed.rootHash());
                    checkpoints++;
                }
            }
            assertThat(checkpoints).as("checkpoints signed").isGreaterThan(1);
        }
    }

    /**
     * In the database: every version has its log entry (the {@code package/v1} of its digest) and its artifact rows,
     * every artifact row's blob is served and is in the blob store itself, every namespace its keys and keyset record.
     * In the blob store: every blob readers can see is whole (its bytes hash to its name); an upload the kill cut is at
     * most a temporary file or an unfinished multipart upload, which readers never see.
     */
    private void checkNothingHalfWritten() throws Exception {
        int survivor = cluster.processes().get(alive.get(0)).port();
        NodeCluster.ClusterStorage storage = cluster.storage();
        try (Connection c = cluster.jdbc(); Statement s = c.createStatement()) {
            assertThat(StoredRows.versionsWithoutNumberedEntry(s)).as("versions without their log entry").isEmpty();
            assertThat(StoredRows.versionsWithoutArtifacts(s)).as("versions without their artifact rows").isEmpty();
            try (ResultSet rs = s.executeQuery("SELECT a.digest, a.size FROM version_artifacts a")) {
                while (rs.next()) {
                    byte[] blob = getBytes(survivor, "/v1/blobs/" + rs.getString(1));
                    assertThat((long) blob.length).as("the blob of an artifact row: " + rs.getString(1))
                            .isEqualTo(rs.getLong(2));
                    Sha256 digest = Sha256.parse(rs.getString(1));
                    Optional<byte[]> stored = storage.blob(cluster.work(), digest);
                    assertThat(stored).as("the blob of an artifact row in " + storage.name() + ": " + digest).isPresent();
                    assertThat((long) stored.get().length).isEqualTo(rs.getLong(2));
                    assertThat(Sha256.of(stored.get())).isEqualTo(digest);
                }
            }
            assertThat(StoredRows.namespacesWithoutKeys(s)).as("namespaces without keys or keyset record").isEmpty();
        }
        List<String> blobs = storage.storedBlobs(cluster.work());
        assertThat(blobs).as("blobs in " + storage.name()).isNotEmpty();
        for (String name : blobs) {
            Sha256 digest = storage.digestOf(name);
            assertThat(storage.blob(cluster.work(), digest).map(Sha256::of)).as("bytes of " + name + " in "
                    + storage.name()).contains(digest);
        }
    }

    // -----------------------------------------------------------------------------------------------------------------
    // Plumbing

    /** {@code publishers} threads publishing {@code each} versions through nginx; the namespaces' first publishes race. */
    private List<Attempt> publishConcurrently(String prefix, int publishers, int each) throws Exception {
        for (int n = 0; n < NAMESPACES; n++) {
            keys.putIfAbsent("n" + n, Ed25519PrivateKey.generate());
        }
        List<Attempt> planned = new ArrayList<>();
        for (int w = 0; w < publishers; w++) {
            for (int v = 0; v < each; v++) {
                String namespace = "n" + ((w + v) % NAMESPACES);
                planned.add(attempt(namespace + "/" + prefix + w, "1." + v + ".0", 8 << 10, keys.get(namespace)));
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(publishers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < publishers; w++) {
                List<Attempt> mine = planned.subList(w * each, (w + 1) * each);
                done.add(pool.submit(() -> {
                    mine.forEach(a -> publish(a, balanced));
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdown();
        }
        return planned;
    }

    private Attempt attempt(String name, String version, int weightBytes, Ed25519PrivateKey key) {
        byte[] weights = new byte[weightBytes];
        synchronized (seeds) {
            seeds.split().nextBytes(weights);
        }
        Attempt a = new Attempt(TestPackage.builder(name, version).weights(weights).build(key), new AtomicInteger());
        attempts.put(a.ref(), a);
        return a;
    }

    /** PUT the weights, then POST the bundle; records the POST's status, or -1 when a request failed on the wire. */
    private void publish(Attempt a, NodeHttp http) {
        try {
            Reply put = http.putBlob(a.pkg().weights());
            if (put.status() != 200 && put.status() != 201) {
                a.status().set(-put.status());
                return;
            }
            a.status().set(http.post("/v1/packages", a.pkg().bundleJson()).status());
        } catch (RuntimeException e) {
            a.status().set(-1);
        }
    }

    private List<Attempt> acknowledged() {
        return attempts.values().stream().filter(Attempt::acknowledged).toList();
    }

    private static String namespaceOf(Attempt a) {
        return a.pkg().name().split("/")[0];
    }

    private static Envelope yank(TestPackage pkg, Ed25519PrivateKey key) {
        byte[] statement = new JsonObject().put("schema", "grove.yank/v2").put("name", pkg.name())
                .put("version", pkg.version()).put("digest", pkg.digest().toString()).put("reason", "bad labels")
                .encode().getBytes(StandardCharsets.UTF_8);
        return EnvelopeSigner.sign(PayloadTypes.YANK, statement, key);
    }

    private static Envelope keysetChange(String namespace, long sequence, Ed25519PrivateKey old, Ed25519PrivateKey next) {
        byte[] change = new JsonObject().put("schema", "grove.keyset/v2").put("namespace", namespace)
                .put("sequence", sequence)
                .put("previous", KeysetChange.keysetDigest(namespace, sequence - 1, List.of(old.keyId())).toString())
                .put("keys", new JsonArray().add(new JsonObject().put("keyid", next.keyId().hex())
                        .put("publicKey", next.publicKey().base64())))
                .encode().getBytes(StandardCharsets.UTF_8);
        return EnvelopeSigner.sign(PayloadTypes.KEYSET, change, old);
    }

    private static BlindRsaPublicKey issuer(NodeHttp http) {
        JsonObject doc = http.get("/v1/reports/issuer").json();
        return BlindRsaPublicKey.fromBytes(Base64Url.decode(doc.getString("n")), Base64Url.decode(doc.getString("e")));
    }

    /** One report with its own token, both through nginx, as a browser sends it. */
    private Reply report(BlindRsaPublicKey issuer, Sha256 digest) throws BlindSignatureException {
        ReportTokens.Request request = ReportTokens.request(issuer, RANDOM::nextBytes);
        Reply signed = balanced.post("/v1/reports/tokens", new JsonObject()
                .put("blindedMessage", Base64Url.encode(request.blindedMessage())).encode());
        assertThat(signed.status()).as(signed.body()).isEqualTo(200);
        ReportToken token = request.finish(Base64Url.decode(signed.json().getString("blindSignature")));
        return balanced.post("/v1/reports", new JsonObject()
                .put("token", new JsonObject().put("keyId", token.keyId()).put("message", token.messageBase64Url())
                        .put("signature", token.signatureBase64Url()))
                .put("package", digest.toString()).put("helped", true).put("rating", 5).put("latencyMs", 20)
                .put("runtime", "wasm").put("device", "desktop").encode());
    }

    private Checkpoint checkpoint(NodeHttp http) throws Exception {
        Reply note = http.get("/log/checkpoint");
        assertThat(note.status()).isEqualTo(200);
        return CheckpointVerifier.verify(note.body(), logKey);
    }

    /**
     * Waits until the served checkpoint covers every entry in the database, then reads every entry through nginx from
     * the entry bundles, checking each bundle's leaves against the level-0 tile and all of them against the root.
     */
    private List<JsonObject> awaitSettledLog() throws Exception {
        long stored;
        try (Connection c = cluster.jdbc(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM log_entries")) {
            rs.next();
            stored = rs.getLong(1);
        }
        Eventually.await(PATIENCE, () -> checkpoint(balanced).size() >= stored, "a checkpoint of " + stored + " entries");
        Checkpoint cp = checkpoint(balanced);
        long size = cp.size();
        HashSources.TileReader overHttp = path -> getBytes(cluster.port(), "/log/" + path);
        assertThat(HashSources.fromTiles(overHttp, size).rootHash(size)).isEqualTo(cp.rootHash());
        List<byte[]> all = new ArrayList<>();
        for (long n = 0; n * TilePath.WIDTH < size; n++) {
            TilePath bundlePath = TilePath.entryBundleFor(n * TilePath.WIDTH, size);
            EntryBundle bundle = EntryBundle.parse(getBytes(cluster.port(), "/log/" + bundlePath), bundlePath.width());
            HashTile tile = HashTile.parse(overHttp.readTile(TilePath.forTree(0, n, size)), bundlePath.width());
            assertThat(bundle.leafHashes()).usingElementComparator(Arrays::compare).isEqualTo(tile.hashes());
            all.addAll(bundle.entries());
        }
        assertThat(MerkleHash.rootFromEntries(all)).isEqualTo(cp.rootHash());
        List<JsonObject> entries = new ArrayList<>();
        all.forEach(e -> entries.add(new JsonObject(new String(e, StandardCharsets.UTF_8))));
        return entries;
    }

    private void awaitEntries(java.util.function.Predicate<List<JsonObject>> until) {
        Eventually.await(PATIENCE, this::awaitSettledLog, until, "the log to hold the entry awaited");
    }

    private static long count(List<JsonObject> entries, String kind, Sha256 digest) {
        return entries.stream().filter(e -> kind.equals(e.getString("kind")) && digest.toString().equals(e.getString("digest")))
                .count();
    }

    private List<String> storedDigests() throws SQLException {
        List<String> digests = new ArrayList<>();
        try (Connection c = cluster.jdbc(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT digest FROM package_versions")) {
            while (rs.next()) {
                digests.add(rs.getString(1));
            }
        }
        return digests;
    }

    private static long nextEntry(NodeHttp mirror) {
        long next = -1;
        for (Object o : mirror.get("/v1/peers").json().getJsonArray("peers")) {
            next = Math.max(next, ((JsonObject) o).getLong("nextEntry"));
        }
        return next;
    }

    private byte[] getBytes(int port, String path) throws ProofException {
        try {
            HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new ProofException("GET " + path + " on port " + port + ": " + r.statusCode());
            }
            return r.body();
        } catch (IOException e) {
            throw new ProofException("GET " + path + " on port " + port + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProofException("interrupted");
        }
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }
}
