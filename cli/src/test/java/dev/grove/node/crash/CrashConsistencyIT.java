package dev.grove.node.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.crypto.Ed25519PublicKey;
import dev.grove.crypto.KeyId;
import dev.grove.crypto.Sha256;
import dev.grove.pkg.Artifact;
import dev.grove.pkg.Bundle;
import dev.grove.pkg.BundleVerifier;
import dev.grove.pkg.VerifiedPackage;
import dev.grove.node.blob.BlobLocation;
import dev.grove.node.testing.S3Server;
import dev.grove.node.testing.TestPackage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

/**
 * A node killed with {@code kill -9} in the middle of publishes and blob uploads restarts consistent.
 *
 * <p>The node runs exactly as a user runs it: {@code java -jar target/grove.jar serve} in its own process with the embedded
 * PostgreSQL in its data directory. Several client threads keep publishes (blob PUT, then bundle POST) and slow multi-megabyte
 * blob uploads in flight; the node is killed with SIGKILL at three different moments (mid-upload, in a burst of publishes,
 * right after a publish was sent). Its PostgreSQL, a daemon of its own, survives the kill as an orphan, which the next start
 * has to deal with. After each restart on the same data directory the test checks, for every version it ever tried:
 *
 * <ul>
 *   <li>every publish acknowledged with 201/200 is there (durability), and every blob upload acknowledged is there;</li>
 *   <li>every version that is there is whole: its document verifies with {@link BundleVerifier}, is the bundle that was sent,
 *       lists the contract's artifacts, and each artifact downloads with bytes that hash to its digest;</li>
 *   <li>the blob storage holds no temporary upload file (no unfinished multipart upload) and no blob whose bytes do not
 *       match its name;</li>
 *   <li>in the database itself: no {@code version_artifacts} row points at a blob missing from the blob storage, no
 *       version lacks its artifact rows, no namespace lacks its keys;</li>
 *   <li>the node takes publishes again: a new version gets 201, an acknowledged one republished gets 200.</li>
 * </ul>
 *
 * The test runs twice: with the blobs in the data directory (the default), and with {@code --blobs s3://...} in a bucket of
 * a real S3 API server that the test runs on loopback ({@link S3Server}, which outlives the node's kills), the big blobs
 * then large enough to go as multipart uploads.
 *
 * <p>No timing is asserted; the deadlines are only there so that a hung node fails the test instead of hanging the build.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CrashConsistencyIT {

    private static final int ROUNDS = 3;
    private static final int PUBLISHERS = 3;
    private static final int BIG_BLOB_BYTES = 4 << 20;
    /** Past two 8 MiB parts of the S3 store: an upload cut by the kill leaves an unfinished multipart upload. */
    private static final int BIG_S3_BLOB_BYTES = 20 << 20;
    private static final int SLOW_CHUNK = 32 << 10;
    private static final Duration HEALTHY_DEADLINE = Duration.ofSeconds(120);
    private static final Duration TRIGGER_DEADLINE = Duration.ofSeconds(40);

    /** One version the test tried to publish, and what the node answered (0 while unknown, -1 when the request failed). */
    private record Attempt(TestPackage pkg, AtomicInteger status) {
        boolean acknowledged() {
            int s = status.get();
            return s == 200 || s == 201;
        }
    }

    /** One blob upload the test tried, and what the node answered. */
    private record BlobAttempt(Sha256 digest, long size, AtomicInteger status) {
        boolean acknowledged() {
            int s = status.get();
            return s == 200 || s == 201;
        }
    }

    private final Ed25519PrivateKey key = Ed25519PrivateKey.generate();
    private final Map<String, Attempt> attempts = new ConcurrentHashMap<>();
    private final Map<Sha256, BlobAttempt> blobAttempts = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    private final SplittableRandom seeds = new SplittableRandom(20261122L);

    private Path work;
    private Path data;
    private Path log;
    private Path jar;
    private NodeProcess node;
    private HttpClient http;
    private BlobStorage blobs;
    private S3Server s3;

    @BeforeEach
    void setUp() throws IOException {
        jar = NodeProcess.jar();
        Path base = jar.getParent().resolve("crash-it");
        Files.createDirectories(base);
        work = Files.createTempDirectory(base, "run-");
        data = work.resolve("data");
        log = work.resolve("node.log");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (node != null && node.process().isAlive()) {
            node.stop(Duration.ofSeconds(60));
        }
        // Whatever happened, leave no PostgreSQL running on the test's directory.
        NodeProcess.stopPostmaster(data.resolve("postgres"));
        if (s3 != null) {
            s3.close();
        }
    }

    @ParameterizedTest(name = "blobs: {0}")
    @ValueSource(strings = {"local", "s3"})
    void killedNodeRestartsConsistent(String storage) throws Exception {
        if (storage.equals("s3")) {
            s3 = S3Server.start(Files.createDirectories(work.resolve("buckets")));
            blobs = new BucketBlobs(s3, s3.newBucket());
        } else {
            blobs = new DirectoryBlobs(data.resolve("blobs"));
        }
        long t0 = System.nanoTime();
        startNode();
        System.out.printf("node up after %d ms%n", ms(t0));
        // A few acknowledged publishes before any load: one per round's namespace, which also binds its keyset.
        for (int round = 0; round < ROUNDS; round++) {
            assertThat(publish(newAttempt("crash-r" + round + "/base", "1.0.0", 2048), 201))
                    .as("publish before the load").isEqualTo(201);
        }

        List<String> kills = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            long t1 = System.nanoTime();
            kills.add(loadAndKill(round));
            long t2 = System.nanoTime();
            int tempFiles = blobs.unfinished().size();
            boolean orphan = NodeProcess.postmaster(data.resolve("postgres")).isPresent();
            System.out.printf("round %d: killed %s; %d temporary upload file(s) on disk, PostgreSQL orphan %s%n", round,
                    kills.get(round), tempFiles, orphan ? "still running" : "gone");

            long logStart = Files.size(log);
            startNode();
            String restartLog = Files.readString(log).substring((int) logStart);
            restartLog.lines().filter(l -> l.contains("left running") || l.contains("unfinished")
                    || l.contains("stale")).forEach(l -> System.out.println("  node: " + l.strip()));
            long t3 = System.nanoTime();
            checkConsistent();
            publishAgainAfterRestart(round);
            System.out.printf("  load until kill %d ms, restart %d ms, checks %d ms%n", (t2 - t1) / 1_000_000,
                    (t3 - t2) / 1_000_000, ms(t3));
            assertThat(unexpected).as("answers other than 200/201 while the node was up").isEmpty();
        }
        System.out.printf("%d versions tried, %d acknowledged; %d big blobs tried, %d acknowledged%n", attempts.size(),
                attempts.values().stream().filter(Attempt::acknowledged).count(), blobAttempts.size(),
                blobAttempts.values().stream().filter(BlobAttempt::acknowledged).count());

        Optional<Integer> exit = node.stop(Duration.ofSeconds(60));
        assertThat(exit).as("the node stops on SIGTERM").isPresent();
        assertThat(NodeProcess.postmaster(data.resolve("postgres"))).as("a stopped node stops its PostgreSQL").isEmpty();
        deleteRecursively(work);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Load and kill

    /** Runs publishers and a slow uploader against the node, kills it at this round's moment, and says what that was. */
    private String loadAndKill(int round) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger acknowledged = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < PUBLISHERS; w++) {
            String name = "crash-r" + round + "/w" + w;
            threads.add(new Thread(() -> {
                for (int minor = 1; !stop.get(); minor++) {
                    Attempt attempt = newAttempt(name, "1." + minor + ".0", 64 << 10);
                    int status = publish(attempt, 201);
                    if (status == 201) {
                        acknowledged.incrementAndGet();
                    } else if (status < 0) {
                        return; // the node is gone
                    }
                }
            }, "publisher-" + round + "-" + w));
        }
        threads.add(new Thread(() -> {
            // Alternately a blob at full speed (usually acknowledged) and a throttled one (usually cut by the kill).
            for (boolean slow = false; !stop.get(); slow = !slow) {
                if (bigUpload(slow, stop) < 0) {
                    return;
                }
            }
        }, "blob-uploader-" + round));
        threads.forEach(Thread::start);
        CompletableFuture<?> lastPublish = CompletableFuture.completedFuture(null);

        String moment;
        try {
            switch (round) {
                case 0 -> {
                    boolean reached = await(() -> acknowledged.get() >= 2 && !blobs.unfinished().isEmpty());
                    moment = "while a multi-megabyte blob upload was being written" + (reached ? "" : " (trigger not reached)");
                }
                case 1 -> {
                    boolean reached = await(() -> acknowledged.get() >= 12);
                    moment = "in a burst of publishes after " + acknowledged.get() + " in this round"
                            + (reached ? "" : " (trigger not reached)");
                }
                default -> {
                    boolean reached = await(() -> acknowledged.get() >= 5);
                    // One more publish, sent without waiting for its answer; the kill follows the request onto the wire.
                    Attempt last = newAttempt("crash-r" + round + "/last", "1.0.0", 64 << 10);
                    assertThat(putBlob(last.pkg().weights())).isIn(200, 201);
                    lastPublish = http.sendAsync(postBundle(last.pkg()), HttpResponse.BodyHandlers.ofString())
                            .handle((r, e) -> {
                                last.status().set(r == null ? -1 : r.statusCode());
                                return null;
                            });
                    Thread.sleep(2);
                    moment = "right after a publish was sent" + (reached ? "" : " (trigger not reached)");
                }
            }
        } finally {
            stop.set(true);
            node.killHard();
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(t.isAlive()).as(t.getName() + " ended after the kill").isFalse();
        }
        lastPublish.get(60, TimeUnit.SECONDS);
        attempts.values().forEach(a -> a.status().compareAndSet(0, -1));
        blobAttempts.values().forEach(b -> b.status().compareAndSet(0, -1));
        return moment;
    }

    private static boolean await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TRIGGER_DEADLINE.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(5);
        }
        return false;
    }

    private Attempt newAttempt(String name, String version, int weightBytes) {
        byte[] weights = new byte[weightBytes];
        synchronized (seeds) {
            seeds.split().nextBytes(weights);
        }
        Attempt attempt = new Attempt(TestPackage.builder(name, version).weights(weights).build(key), new AtomicInteger());
        attempts.put(name + "@" + version, attempt);
        return attempt;
    }

    /**
     * PUT the weights, then POST the bundle: the status of the POST, or -1 when a request failed on the wire. An answer
     * other than {@code expected} is recorded as unexpected.
     */
    private int publish(Attempt attempt, int expected) {
        try {
            int put = putBlob(attempt.pkg().weights());
            if (put != 200 && put != 201) {
                unexpected.add("PUT weights of " + attempt.pkg().name() + "@" + attempt.pkg().version() + ": " + put);
                attempt.status().set(put);
                return put;
            }
            HttpResponse<String> r = http.send(postBundle(attempt.pkg()), HttpResponse.BodyHandlers.ofString());
            attempt.status().set(r.statusCode());
            if (r.statusCode() != expected) {
                unexpected.add("POST " + attempt.pkg().name() + "@" + attempt.pkg().version() + ": " + r.statusCode() + " "
                        + r.body());
            }
            return r.statusCode();
        } catch (IOException e) {
            attempt.status().set(-1);
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            attempt.status().set(-1);
            return -1;
        }
    }

    private HttpRequest postBundle(TestPackage pkg) {
        return HttpRequest.newBuilder(uri("/v1/packages"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(pkg.bundleJson()))
                .build();
    }

    private int putBlob(byte[] bytes) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri("/v1/blobs/" + Sha256.of(bytes)))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /**
     * Uploads a fresh multi-megabyte blob; when {@code slow}, in small chunks with pauses, so that it stays half written
     * in a temporary file (an unfinished multipart upload) for a while. Returns the status, or -1 when the request failed
     * on the wire.
     */
    private int bigUpload(boolean slow, AtomicBoolean stop) {
        byte[] bytes = new byte[blobs.bigBlobBytes()];
        synchronized (seeds) {
            seeds.split().nextBytes(bytes);
        }
        Sha256 digest = Sha256.of(bytes);
        BlobAttempt attempt = new BlobAttempt(digest, bytes.length, new AtomicInteger());
        blobAttempts.put(digest, attempt);
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> new SlowStream(bytes, slow ? stop : new AtomicBoolean(true))),
                bytes.length);
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/v1/blobs/" + digest))
                    .timeout(Duration.ofSeconds(120))
                    .header("Content-Type", "application/octet-stream")
                    .PUT(body).build(), HttpResponse.BodyHandlers.ofString());
            attempt.status().set(r.statusCode());
            if (r.statusCode() != 201) {
                unexpected.add("PUT big blob " + digest + ": " + r.statusCode() + " " + r.body());
            }
            return r.statusCode();
        } catch (IOException e) {
            attempt.status().set(-1);
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            attempt.status().set(-1);
            return -1;
        }
    }

    /** The bytes in {@value #SLOW_CHUNK}-byte reads with a short pause before each until {@code stop} is set. */
    private static final class SlowStream extends InputStream {
        private final byte[] bytes;
        private final AtomicBoolean stop;
        private int position;

        SlowStream(byte[] bytes, AtomicBoolean stop) {
            this.bytes = bytes;
            this.stop = stop;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= bytes.length) {
                return -1;
            }
            if (!stop.get()) {
                try {
                    Thread.sleep(3);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int n = Math.min(Math.min(len, SLOW_CHUNK), bytes.length - position);
            System.arraycopy(bytes, position, b, off, n);
            position += n;
            return n;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Checks after a restart

    private void checkConsistent() throws Exception {
        HttpResponse<String> health = get("/healthz");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(health.body()).getString("status")).isEqualTo("UP");

        Map<KeyId, Ed25519PublicKey> trusted = Map.of(key.keyId(), key.publicKey());
        Map<String, Set<String>> triedVersions = new LinkedHashMap<>();
        int present = 0;
        for (Map.Entry<String, Attempt> entry : attempts.entrySet()) {
            Attempt attempt = entry.getValue();
            TestPackage pkg = attempt.pkg();
            triedVersions.computeIfAbsent(pkg.name(), n -> new TreeSet<>()).add(pkg.version());
            HttpResponse<String> r = get("/v1/packages/" + pkg.name() + "/versions/" + pkg.version());
            if (attempt.acknowledged()) {
                assertThat(r.statusCode()).as(entry.getKey() + " was acknowledged with " + attempt.status().get()
                        + " before the kill, so it must survive it: " + r.body()).isEqualTo(200);
            } else {
                assertThat(r.statusCode()).as(entry.getKey() + " (not acknowledged) is either whole or absent: " + r.body())
                        .isIn(200, 404);
            }
            if (r.statusCode() == 200) {
                present++;
                checkWholeVersion(entry.getKey(), pkg, new JsonObject(r.body()), trusted);
            }
        }
        // The package listings show nothing but versions that were tried (and were just checked whole).
        int listed = 0;
        for (Map.Entry<String, Set<String>> entry : triedVersions.entrySet()) {
            HttpResponse<String> r = get("/v1/packages/" + entry.getKey());
            if (r.statusCode() == 404) {
                continue;
            }
            assertThat(r.statusCode()).as("listing " + entry.getKey()).isEqualTo(200);
            JsonArray versions = new JsonObject(r.body()).getJsonArray("versions");
            for (int i = 0; i < versions.size(); i++) {
                assertThat(entry.getValue()).as("versions listed for " + entry.getKey())
                        .contains(versions.getJsonObject(i).getString("version"));
                listed++;
            }
        }
        assertThat(listed).as("versions listed = versions found one by one").isEqualTo(present);

        for (BlobAttempt blob : blobAttempts.values()) {
            HttpResponse<byte[]> r = getBytes("/v1/blobs/" + blob.digest());
            if (blob.acknowledged()) {
                assertThat(r.statusCode()).as("blob " + blob.digest() + " was acknowledged before the kill").isEqualTo(200);
            } else {
                assertThat(r.statusCode()).as("blob " + blob.digest() + " (not acknowledged)").isIn(200, 404);
            }
            if (r.statusCode() == 200) {
                assertThat(r.body().length).isEqualTo(blob.size());
                assertThat(Sha256.of(r.body())).as("bytes served for " + blob.digest()).isEqualTo(blob.digest());
            }
        }

        assertThat(blobs.unfinished()).as("unfinished uploads left in " + blobs).isEmpty();
        blobs.checkEveryBlobMatchesItsName();
        int rows = checkDatabase();
        assertThat(rows).as("versions in the database = versions the API finds").isEqualTo(present);
    }

    private void checkWholeVersion(String ref, TestPackage pkg, JsonObject doc, Map<KeyId, Ed25519PublicKey> trusted)
            throws Exception {
        assertThat(doc.getString("digest")).as(ref + " digest").isEqualTo(pkg.digest().toString());
        Bundle bundle = Bundle.parse(doc.getJsonObject("bundle").encode());
        VerifiedPackage verified = BundleVerifier.verify(bundle, trusted);
        assertThat(verified.digest()).isEqualTo(pkg.digest());
        // ... and against the keys the document itself lists, as a client that trusts the node's keyset would.
        BundleVerifier.verify(bundle, bundle.keyMap());
        JsonArray artifacts = doc.getJsonArray("artifacts");
        List<Artifact> expected = verified.contract().artifacts();
        assertThat(artifacts.size()).as(ref + " artifacts").isEqualTo(expected.size());
        for (Artifact artifact : expected) {
            JsonObject listed = null;
            for (int i = 0; i < artifacts.size(); i++) {
                if (artifacts.getJsonObject(i).getString("path").equals(artifact.path())) {
                    listed = artifacts.getJsonObject(i);
                }
            }
            assertThat(listed).as(ref + " lists artifact " + artifact.path()).isNotNull();
            assertThat(listed.getString("digest")).isEqualTo(artifact.digest().toString());
            assertThat(listed.getLong("size")).isEqualTo(artifact.size());
            HttpResponse<byte[]> blob = getBytes("/v1/blobs/" + artifact.digest());
            assertThat(blob.statusCode()).as(ref + " artifact " + artifact.path() + " downloads").isEqualTo(200);
            assertThat((long) blob.body().length).isEqualTo(artifact.size());
            assertThat(Sha256.of(blob.body())).as(ref + " artifact bytes").isEqualTo(artifact.digest());
        }
    }

    /**
     * Looks into the node's embedded PostgreSQL (its port is in {@code postmaster.pid}) for rows the API cannot show:
     * artifact rows whose blob is missing, versions without their artifact rows, namespaces without keys. Returns the number
     * of versions stored.
     */
    private int checkDatabase() throws IOException, SQLException {
        Path pg = data.resolve("postgres");
        int port = NodeProcess.postgresPort(pg);
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/grove", "postgres",
                "postgres");
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT v.namespace, v.name, v.version, a.path, a.size, a.digest "
                    + "FROM version_artifacts a JOIN package_versions v ON v.id = a.version_id")) {
                while (rs.next()) {
                    String ref = rs.getString(1) + "/" + rs.getString(2) + "@" + rs.getString(3) + " " + rs.getString(4);
                    Optional<Long> size = blobs.size(Sha256.parse(rs.getString(6)));
                    assertThat(size).as("blob of the version_artifacts row of " + ref + " in " + blobs).isPresent();
                    assertThat(size.get()).as("size of the blob of " + ref).isEqualTo(rs.getLong(5));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM version_artifacts a "
                    + "WHERE NOT EXISTS (SELECT 1 FROM package_versions v WHERE v.id = a.version_id)")) {
                rs.next();
                assertThat(rs.getInt(1)).as("artifact rows without their version").isZero();
            }
            assertThat(StoredRows.versionsWithoutArtifacts(s)).as("versions without their artifact rows").isEmpty();
            assertThat(StoredRows.namespacesWithoutKeys(s)).as("namespaces without keys or keyset record").isEmpty();
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM package_versions")) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** After a restart the node takes publishes again: a new version is created, an acknowledged one is idempotent. */
    private void publishAgainAfterRestart(int round) {
        assertThat(publish(newAttempt("crash-after/r" + round, "1.0.0", 4096), 201)).as("a new version after the restart")
                .isEqualTo(201);
        Attempt acknowledged = attempts.entrySet().stream()
                .filter(e -> e.getKey().startsWith("crash-r" + round + "/w") && e.getValue().status().get() == 201)
                .min(Map.Entry.comparingByKey())
                .map(Map.Entry::getValue)
                .orElseGet(() -> attempts.get("crash-r" + round + "/base@1.0.0"));
        int again = publish(new Attempt(acknowledged.pkg(), new AtomicInteger()), 200);
        assertThat(again).as("republishing acknowledged " + acknowledged.pkg().name() + "@" + acknowledged.pkg().version())
                .isEqualTo(200);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Plumbing

    private static long ms(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }

    private void startNode() throws IOException, InterruptedException {
        node = NodeProcess.start(jar, data, NodeProcess.freePort(), log, blobs.arguments(), blobs.environment());
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        node.awaitHealthy(HEALTHY_DEADLINE);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + node.port() + path);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> getBytes(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Where the node under test keeps its blobs, as the test looks into it (not through the node). */
    private interface BlobStorage {
        List<String> arguments();

        Map<String, String> environment();

        /** The size of the stored blob, when it is stored. */
        Optional<Long> size(Sha256 digest) throws IOException;

        /** What an upload in progress (or cut by a kill) holds: temporary files, unfinished multipart uploads. */
        List<String> unfinished();

        /** Every stored blob is finished and its bytes hash to its name; nothing else is stored. */
        void checkEveryBlobMatchesItsName() throws IOException;

        int bigBlobBytes();
    }

    /** {@code <data>/blobs}, the default. */
    private record DirectoryBlobs(Path root) implements BlobStorage {
        @Override
        public List<String> arguments() {
            return List.of();
        }

        @Override
        public Map<String, String> environment() {
            return Map.of();
        }

        @Override
        public Optional<Long> size(Sha256 digest) throws IOException {
            Path file = root.resolve("sha256").resolve(digest.hex().substring(0, 2)).resolve(digest.hex());
            return Files.isRegularFile(file) ? Optional.of(Files.size(file)) : Optional.empty();
        }

        /** Temporary upload files ({@code .upload-*.tmp}, see LocalBlobStore) anywhere under the root. */
        @Override
        public List<String> unfinished() {
            if (!Files.isDirectory(root)) {
                return List.of();
            }
            try (Stream<Path> files = Files.walk(root)) {
                return files.filter(p -> {
                    String name = p.getFileName().toString();
                    return name.startsWith(".upload-") || name.endsWith(".tmp");
                }).map(Path::toString).toList();
            } catch (IOException | UncheckedIOException e) {
                return List.of(); // a file vanished while walking: the upload finished or was cleaned up
            }
        }

        /** Every file under {@code blobs/sha256/xx/} is a finished blob whose bytes hash to its name. */
        @Override
        public void checkEveryBlobMatchesItsName() throws IOException {
            try (Stream<Path> files = Files.walk(root.resolve("sha256"))) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    String name = file.getFileName().toString();
                    assertThat(name).as("file in the blob store: " + file).matches("[0-9a-f]{64}");
                    assertThat(file.getParent().getFileName().toString()).isEqualTo(name.substring(0, 2));
                    try (InputStream in = Files.newInputStream(file)) {
                        assertThat(sha256Hex(in)).as("bytes of " + file).isEqualTo(name);
                    }
                }
            }
        }

        @Override
        public int bigBlobBytes() {
            return BIG_BLOB_BYTES;
        }

        @Override
        public String toString() {
            return root.toString();
        }
    }

    /** A bucket of the test's S3 API server, given to the node as {@code --blobs s3://...} and the AWS variables. */
    private record BucketBlobs(S3Server server, BlobLocation.S3 bucket) implements BlobStorage {
        @Override
        public List<String> arguments() {
            return List.of("--blobs", bucket.toString());
        }

        @Override
        public Map<String, String> environment() {
            return S3Server.environment();
        }

        @Override
        public Optional<Long> size(Sha256 digest) {
            return server.object(bucket.bucket(), "blobs/sha256/" + digest.hex()).map(b -> (long) b.length);
        }

        @Override
        public List<String> unfinished() {
            return server.unfinishedUploads(bucket.bucket());
        }

        /** Every object is a blob under {@code blobs/sha256/<hex>} whose bytes hash to its name. */
        @Override
        public void checkEveryBlobMatchesItsName() {
            for (String key : server.keys(bucket.bucket())) {
                assertThat(key).as("object in the bucket").matches("blobs/sha256/[0-9a-f]{64}");
                byte[] bytes = server.object(bucket.bucket(), key).orElseThrow();
                assertThat(Sha256.of(bytes).hex()).as("bytes of " + key).isEqualTo(key.substring("blobs/sha256/".length()));
            }
        }

        @Override
        public int bigBlobBytes() {
            return BIG_S3_BLOB_BYTES;
        }

        @Override
        public String toString() {
            return bucket.toString();
        }
    }

    private static String sha256Hex(InputStream in) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
            sha.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
