package dev.grove.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.crypto.Sha256;
import dev.grove.node.blob.BlobLocation;
import dev.grove.node.crash.NodeProcess;
import dev.grove.node.log.LogKeyFile;
import dev.grove.node.reports.IssuerKeyFile;
import dev.grove.node.testing.Nginx;
import dev.grove.node.testing.S3Server;
import dev.grove.node.testing.TestDatabase;
import dev.grove.node.witness.WitnessKeyFile;
import io.vertx.pgclient.PgConnectOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One node run as several {@code grove.jar serve} processes on one PostgreSQL database and one blob store, behind nginx
 * as a round-robin load balancer: the setup README's "Operating a node" describes. The processes share the public URL
 * (nginx's, so one log origin) and the secrets; the database is a fresh one on the test JVM's embedded PostgreSQL.
 * {@link #close()} stops the processes, nginx and the storage's server, and leaves nothing behind but the database
 * (dropped with the server).
 */
final class NodeCluster implements AutoCloseable {

    private static final Duration HEALTHY_DEADLINE = Duration.ofSeconds(120);

    /** The secret files of a node's data directory, which all its processes must share. */
    static final List<String> SECRET_FILES = List.of(LogKeyFile.FILE_NAME, IssuerKeyFile.FILE_NAME,
            WitnessKeyFile.FILE_NAME);

    private final Path work;
    private final PgConnectOptions database;
    private final String pgUrl;
    private final Nginx nginx;
    private final ClusterStorage storage;
    private final List<String> options;
    private final List<NodeProcess> processes;
    private final List<NodeProcess> extras = new ArrayList<>();

    private NodeCluster(Path work, PgConnectOptions database, String pgUrl, Nginx nginx, ClusterStorage storage,
                        List<String> options, List<NodeProcess> processes) {
        this.work = work;
        this.database = database;
        this.pgUrl = pgUrl;
        this.nginx = nginx;
        this.storage = storage;
        this.options = List.copyOf(options);
        this.processes = processes;
    }

    /**
     * Starts {@code count} processes on a fresh database behind nginx, and waits until every process answers
     * {@code /healthz}. On one shared data directory they start at once (racing to create the secrets); with a data
     * directory each, the first starts alone until it has written its secret files, which are then copied to the
     * others, which start together.
     *
     * @param storage where the processes keep blobs and secrets ({@link #close()} closes it)
     * @param options further {@code grove serve} options every process gets
     */
    static NodeCluster start(int count, ClusterStorage storage, List<String> options) throws Exception {
        Path jar = NodeProcess.jar();
        Path base = jar.getParent().resolve("cluster-it");
        Files.createDirectories(base);
        Path work = Files.createTempDirectory(base, "run-");
        PgConnectOptions database = TestDatabase.fresh();
        String pgUrl = "postgresql://" + database.getUser() + ":" + database.getPassword() + "@" + database.getHost()
                + ":" + database.getPort() + "/" + database.getDatabase();
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ports.add(NodeProcess.freePort());
        }
        // nginx first: its port is the public URL every process is told
        Nginx nginx;
        try {
            nginx = Nginx.balance(ports);
        } catch (Throwable e) {
            storage.close();
            TestDatabase.deleteRecursively(work);
            throw e;
        }
        List<NodeProcess> processes = new ArrayList<>();
        NodeCluster cluster = new NodeCluster(work, database, pgUrl, nginx, storage, options, processes);
        try {
            for (int i = 0; i < count; i++) {
                if (storage instanceof S3Bucket && i > 0) {
                    if (i == 1) {
                        awaitSecrets(processes.get(0), storage.dataDir(work, 0));
                    }
                    Path data = Files.createDirectories(storage.dataDir(work, i));
                    for (String secret : SECRET_FILES) {
                        Files.copy(storage.dataDir(work, 0).resolve(secret), data.resolve(secret));
                    }
                }
                processes.add(cluster.startProcess(jar, storage.dataDir(work, i), ports.get(i), "node-" + i));
            }
            for (NodeProcess p : processes) {
                p.awaitHealthy(HEALTHY_DEADLINE);
            }
            return cluster;
        } catch (Throwable e) {
            cluster.close();
            throw e;
        }
    }

    /**
     * Waits until the first process has written its secret files (each appears whole: SecretFile links a finished file
     * into place), early in its start.
     */
    private static void awaitSecrets(NodeProcess first, Path data) throws InterruptedException {
        long end = System.nanoTime() + HEALTHY_DEADLINE.toNanos();
        while (!SECRET_FILES.stream().allMatch(f -> Files.isRegularFile(data.resolve(f)))) {
            if (!first.process().isAlive() || System.nanoTime() > end) {
                throw new AssertionError("the first process did not write its secret files " + SECRET_FILES
                        + "; its log ends with:\n" + first.logTail());
            }
            Thread.sleep(50);
        }
    }

    private NodeProcess startProcess(Path jar, Path data, int port, String name) throws IOException {
        List<String> args = new ArrayList<>(List.of("--pg-url", pgUrl, "--public-url", nginx.url()));
        args.addAll(storage.options());
        args.addAll(options);
        return NodeProcess.start(jar, data, port, work.resolve(name + ".log"), args, storage.environment());
    }

    /**
     * Starts one more process of the node, not behind nginx, on the data directory {@code data} (nothing copied into
     * it); {@link #close()} stops it if it still runs.
     */
    NodeProcess startExtra(Path data) throws IOException {
        NodeProcess extra = startProcess(NodeProcess.jar(), data, NodeProcess.freePort(), "extra-" + extras.size());
        extras.add(extra);
        return extra;
    }

    /**
     * Starts process {@code i} again (after it stopped or was killed) on its data directory and port, behind nginx
     * again, and waits until it answers {@code /healthz}.
     */
    void restart(int i) throws IOException, InterruptedException {
        assertThat(processes.get(i).process().isAlive()).as("process " + i + " still runs").isFalse();
        NodeProcess again = startProcess(NodeProcess.jar(), storage.dataDir(work, i), processes.get(i).port(),
                "node-" + i);
        processes.set(i, again);
        again.awaitHealthy(HEALTHY_DEADLINE);
    }

    ClusterStorage storage() {
        return storage;
    }

    /** The load balancer's URL: the node's public URL. */
    String url() {
        return nginx.url();
    }

    int port() {
        return nginx.port();
    }

    List<NodeProcess> processes() {
        return processes;
    }

    Path work() {
        return work;
    }

    /** A JDBC connection to the cluster's database, for the checks the API cannot make. */
    Connection jdbc() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + database.getHost() + ":" + database.getPort() + "/"
                + database.getDatabase(), database.getUser(), database.getPassword());
    }

    String nginxErrors() {
        return nginx.errorLog();
    }

    /** Every process's log tail, for failure messages. */
    String logs() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < processes.size(); i++) {
            sb.append("\n--- process ").append(i).append(" (port ").append(processes.get(i).port()).append(") ---\n")
                    .append(processes.get(i).logTail());
        }
        return sb.toString();
    }

    @Override
    public void close() throws Exception {
        for (NodeProcess p : Stream.concat(processes.stream(), extras.stream()).toList()) {
            if (p.process().isAlive()) {
                p.stop(Duration.ofSeconds(60));
            }
        }
        nginx.close();
        storage.close();
        TestDatabase.deleteRecursively(work);
    }

    /**
     * Where the processes keep what is not in the database (blobs, secrets): one parameter of the test. The test looks
     * into it directly ({@link #blob}, {@link #storedBlobs}), beside the node's API.
     */
    sealed interface ClusterStorage permits SharedDirectory, S3Bucket {

        /** The {@code --data} directory of process {@code i}. */
        Path dataDir(Path work, int i);

        /** The further options every process gets (the blob store). */
        List<String> options();

        /** The further environment every process gets (the blob store's credentials). */
        Map<String, String> environment();

        /** The stored bytes of the blob, read from the store itself, or empty when it is not stored. */
        Optional<byte[]> blob(Path work, Sha256 digest) throws IOException;

        /** The name of every stored blob (finished, visible to readers): an object key or a file path. */
        List<String> storedBlobs(Path work) throws IOException;

        /** What uploads in flight or cut by a kill hold: temporary files or unfinished multipart uploads. */
        List<String> unfinishedUploads(Path work) throws IOException;

        /**
         * Begins an upload beside the node's processes, as one of them does while an upload streams in: a temporary
         * file, or a multipart upload begun and not completed. Returns what {@link #unfinishedUploads} lists for it.
         */
        String beginUpload(Path work) throws IOException;

        /** The digest a stored blob's name claims, from an element of {@link #storedBlobs}. */
        Sha256 digestOf(String stored);

        /** Stops what the storage runs for the test (an S3 server). */
        void close();

        /** What the setup is, for the test's messages. */
        String name();
    }

    /**
     * The single-machine setup: every process on one data directory, so they share the local blob store in
     * {@code <data>/blobs} and the secret files beside it (each process finds them there, or the first to start writes
     * them).
     */
    record SharedDirectory() implements ClusterStorage {

        @Override
        public Path dataDir(Path work, int i) {
            return work.resolve("data");
        }

        @Override
        public List<String> options() {
            return List.of();
        }

        @Override
        public Map<String, String> environment() {
            return Map.of();
        }

        private static Path root(Path work) {
            return work.resolve("data").resolve("blobs").resolve("sha256");
        }

        @Override
        public Optional<byte[]> blob(Path work, Sha256 digest) throws IOException {
            Path file = root(work).resolve(digest.hex().substring(0, 2)).resolve(digest.hex());
            return Files.isRegularFile(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
        }

        /**
         * Every file under {@code blobs/sha256/xx/} but the temporary ones of uploads in flight or cut by the kill
         * ({@code .upload-*.tmp}, see LocalBlobStore), which readers never see.
         */
        @Override
        public List<String> storedBlobs(Path work) throws IOException {
            try (Stream<Path> files = Files.walk(root(work))) {
                return files.filter(Files::isRegularFile)
                        .filter(p -> !p.getFileName().toString().startsWith(".upload-"))
                        .map(p -> root(work).relativize(p).toString()).sorted().toList();
            }
        }

        @Override
        public String beginUpload(Path work) throws IOException {
            Path shard = Files.createDirectories(root(work).resolve("ab"));
            Files.writeString(shard.resolve(".upload-in-flight.tmp"), "the first bytes of an upload");
            return "ab/.upload-in-flight.tmp";
        }

        @Override
        public List<String> unfinishedUploads(Path work) throws IOException {
            try (Stream<Path> files = Files.walk(root(work))) {
                return files.filter(p -> p.getFileName().toString().startsWith(".upload-"))
                        .map(p -> root(work).relativize(p).toString()).sorted().toList();
            }
        }

        @Override
        public Sha256 digestOf(String stored) {
            assertThat(stored).as("a file in the blob store").matches("[0-9a-f]{2}/[0-9a-f]{64}");
            assertThat(stored.substring(0, 2)).as("the directory of " + stored).isEqualTo(stored.substring(3, 5));
            return Sha256.parse("sha256:" + stored.substring(3));
        }

        @Override
        public void close() {
        }

        @Override
        public String name() {
            return "one local data directory";
        }
    }

    /**
     * The setup of several machines: each process its own data directory, the blobs in one bucket of an S3 API server
     * the test runs on loopback ({@link S3Server}), and the secret files copied from the first process's data directory
     * into the others' before they start, as an operator would.
     */
    record S3Bucket(S3Server server, BlobLocation.S3 bucket, Path dir) implements ClusterStorage {

        /** Starts an S3 server with one new bucket, keeping its buckets in a new directory that {@link #close} removes. */
        static S3Bucket start() throws IOException {
            Path base = Files.createDirectories(NodeProcess.jar().getParent().resolve("cluster-it"));
            Path dir = Files.createTempDirectory(base, "buckets-");
            S3Server server = S3Server.start(dir);
            return new S3Bucket(server, server.newBucket(), dir);
        }

        @Override
        public Path dataDir(Path work, int i) {
            return work.resolve("data-" + i);
        }

        @Override
        public List<String> options() {
            return List.of("--blobs", bucket.toString());
        }

        @Override
        public Map<String, String> environment() {
            return S3Server.environment();
        }

        @Override
        public Optional<byte[]> blob(Path work, Sha256 digest) {
            return server.object(bucket.bucket(), "blobs/sha256/" + digest.hex());
        }

        /** Every object key: unfinished multipart uploads are no objects. */
        @Override
        public List<String> storedBlobs(Path work) {
            return server.keys(bucket.bucket()).stream().sorted().toList();
        }

        @Override
        public List<String> unfinishedUploads(Path work) {
            return server.unfinishedUploads(bucket.bucket()).stream().sorted().toList();
        }

        @Override
        public String beginUpload(Path work) {
            String key = "blobs/sha256/" + "ab".repeat(32);
            try (S3Client client = S3Client.builder().endpointOverride(server.endpoint())
                    .region(Region.of(S3Server.REGION)).forcePathStyle(true)
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(S3Server.ACCESS_KEY, S3Server.SECRET_KEY)))
                    .build()) {
                client.createMultipartUpload(c -> c.bucket(bucket.bucket()).key(key));
            }
            return key;
        }

        @Override
        public Sha256 digestOf(String stored) {
            assertThat(stored).as("an object in the bucket").matches("blobs/sha256/[0-9a-f]{64}");
            return Sha256.parse("sha256:" + stored.substring("blobs/sha256/".length()));
        }

        @Override
        public void close() {
            try {
                server.close();
            } finally {
                TestDatabase.deleteRecursively(dir);
            }
        }

        @Override
        public String name() {
            return "each process its own data directory, blobs in " + bucket;
        }
    }
}
