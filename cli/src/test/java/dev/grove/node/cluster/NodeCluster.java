package dev.grove.node.cluster;

import dev.grove.node.crash.NodeProcess;
import dev.grove.node.testing.Nginx;
import dev.grove.node.testing.TestDatabase;
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

/**
 * One node run as several {@code grove.jar serve} processes on one PostgreSQL database and one blob store, behind nginx
 * as a round-robin load balancer: the setup README's "Operating a node" describes. The processes share the public URL
 * (nginx's, so one log origin) and the secrets; the database is a fresh one on the test JVM's embedded PostgreSQL.
 * {@link #close()} stops the processes, nginx and leaves nothing behind but the database (dropped with the server).
 */
final class NodeCluster implements AutoCloseable {

    private static final Duration HEALTHY_DEADLINE = Duration.ofSeconds(120);

    private final Path work;
    private final PgConnectOptions database;
    private final Nginx nginx;
    private final List<NodeProcess> processes;

    private NodeCluster(Path work, PgConnectOptions database, Nginx nginx, List<NodeProcess> processes) {
        this.work = work;
        this.database = database;
        this.nginx = nginx;
        this.processes = processes;
    }

    /**
     * Starts {@code count} processes at once on a fresh database, then nginx in front of them, and waits until every
     * process answers {@code /healthz}.
     *
     * @param storage where the processes keep blobs and secrets
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
        Nginx nginx = Nginx.balance(ports);
        List<NodeProcess> processes = new ArrayList<>();
        NodeCluster cluster = new NodeCluster(work, database, nginx, processes);
        try {
            for (int i = 0; i < count; i++) {
                List<String> args = new ArrayList<>(List.of("--pg-url", pgUrl, "--public-url", nginx.url()));
                args.addAll(storage.options(work, i));
                args.addAll(options);
                processes.add(NodeProcess.start(jar, storage.dataDir(work, i), ports.get(i),
                        work.resolve("node-" + i + ".log"), args));
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
        for (NodeProcess p : processes) {
            if (p.process().isAlive()) {
                p.stop(Duration.ofSeconds(60));
            }
        }
        nginx.close();
        TestDatabase.deleteRecursively(work);
    }

    /** Where the processes keep what is not in the database: one parameter of the test. */
    interface ClusterStorage {

        /** The {@code --data} directory of process {@code i}. */
        Path dataDir(Path work, int i) throws IOException;

        /** The further options of process {@code i} (the blob store, the secrets). */
        List<String> options(Path work, int i);

        /** What the setup is, for the test's messages. */
        String name();
    }

    /**
     * The single-machine setup: every process on one data directory, so they share the local blob store in
     * {@code <data>/blobs} and the secret files beside it.
     */
    static ClusterStorage sharedDataDirectory() {
        return new ClusterStorage() {
            @Override
            public Path dataDir(Path work, int i) {
                return work.resolve("data");
            }

            @Override
            public List<String> options(Path work, int i) {
                return List.of();
            }

            @Override
            public String name() {
                return "one local data directory";
            }
        };
    }
}
