package dev.grove.node.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's own embedded server: persistent, exclusive, and restartable after {@code kill -9}. Each start costs ~2 s. */
class EmbeddedDatabaseTest {

    @TempDir
    Path data;

    @Test
    void restartsAfterTheNodeWasKilledWithSigkill() throws Exception {
        Path dir = data.resolve("postgres");
        Process child = startChild(dir, "before-kill");
        try {
            // while the first node lives, the directory is its alone
            assertThatThrownBy(() -> EmbeddedDatabase.start(dir))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("is in use by another running node");
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        long orphanPid = Long.parseLong(Files.readAllLines(dir.resolve("postmaster.pid")).get(0).trim());
        assertThat(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive)).as("postmaster left running").contains(true);

        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir)) {
            assertThat(marks(db)).containsExactly("before-kill");
            assertThat(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            execute(db, "INSERT INTO marks VALUES ('after-restart')");
        }
        assertThat(dir.resolve("postmaster.pid")).as("a clean stop removes it").doesNotExist();
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir)) {
            assertThat(marks(db)).containsExactly("before-kill", "after-restart");
        }
    }

    @Test
    void removesAStalePidFileWhoseProcessIsGone() throws Exception {
        Path dir = data.resolve("postgres");
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir)) {
            execute(db, "CREATE TABLE marks (v text)", "INSERT INTO marks VALUES ('x')");
        }
        // a pid file as a crash leaves it, naming a process that no longer exists
        Files.writeString(dir.resolve("postmaster.pid"), "999999999\n" + dir + "\n1700000000\n5432\n");
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir)) {
            assertThat(marks(db)).containsExactly("x");
        }
    }

    /**
     * Right after {@code kill -9} of a node and its postmaster, the postmaster is still alive for a moment and can no
     * longer be inspected (its command line is gone): the start waits for it to go (bounded) instead of giving up.
     */
    @Test
    void waitsForAKilledPostmasterToGoBeforeGivingUp() throws Exception {
        Path dir = Files.createDirectories(data.resolve("postgres"));
        Path pidFile = Files.writeString(dir.resolve("postmaster.pid"), "4242\n" + dir + "\n1700000000\n5432\n");
        Dying dying = new Dying(4242, 300);
        EmbeddedDatabase.stopOrphanedPostmaster(dir, pid -> pid == 4242 ? Optional.of(dying) : Optional.empty(),
                Duration.ofSeconds(30));
        assertThat(dying.isAlive()).isFalse();
        assertThat(pidFile).as("the stale pid file is removed once its process is gone").doesNotExist();

        Files.writeString(pidFile, "4343\n" + dir + "\n1700000000\n5432\n");
        Dying stuck = new Dying(4343, Long.MAX_VALUE);
        assertThatThrownBy(() -> EmbeddedDatabase.stopOrphanedPostmaster(dir,
                pid -> Optional.of(stuck), Duration.ofMillis(200)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("alive but cannot be inspected after");
        assertThat(pidFile).as("a process that does not go is not assumed gone").exists();
    }

    /** A process being killed: alive, not inspectable, gone after {@code millis}. */
    static final class Dying implements ProcessHandle {
        private final long pid;
        private final CompletableFuture<ProcessHandle> exit = new CompletableFuture<>();

        Dying(long pid, long millis) {
            this.pid = pid;
            if (millis != Long.MAX_VALUE) {
                CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS).execute(() -> exit.complete(this));
            }
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public Optional<ProcessHandle> parent() {
            return Optional.empty();
        }

        @Override
        public java.util.stream.Stream<ProcessHandle> children() {
            return java.util.stream.Stream.empty();
        }

        @Override
        public java.util.stream.Stream<ProcessHandle> descendants() {
            return java.util.stream.Stream.empty();
        }

        @Override
        public Info info() {
            return new Info() {
                @Override
                public Optional<String> command() {
                    return Optional.empty();
                }

                @Override
                public Optional<String> commandLine() {
                    return Optional.empty();
                }

                @Override
                public Optional<String[]> arguments() {
                    return Optional.empty();
                }

                @Override
                public Optional<java.time.Instant> startInstant() {
                    return Optional.empty();
                }

                @Override
                public Optional<Duration> totalCpuDuration() {
                    return Optional.empty();
                }

                @Override
                public Optional<String> user() {
                    return Optional.empty();
                }
            };
        }

        @Override
        public CompletableFuture<ProcessHandle> onExit() {
            return exit;
        }

        @Override
        public boolean supportsNormalTermination() {
            return true;
        }

        @Override
        public boolean destroy() {
            return false;
        }

        @Override
        public boolean destroyForcibly() {
            return false;
        }

        @Override
        public boolean isAlive() {
            return !exit.isDone();
        }

        @Override
        public int compareTo(ProcessHandle other) {
            return Long.compare(pid, other.pid());
        }
    }

    private static Process startChild(Path dir, String mark) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                EmbeddedDatabaseChild.class.getName(), dir.toString(), mark)
                .redirectErrorStream(true)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        CompletableFuture<Void> ready = CompletableFuture.runAsync(() -> {
            try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    seen.add(line);
                    if (line.startsWith("READY ")) {
                        Thread drain = new Thread(() -> {
                            try {
                                while (out.readLine() != null) {
                                    // keep the pipe empty
                                }
                            } catch (IOException ignored) {
                                // the child died
                            }
                        });
                        drain.setDaemon(true);
                        drain.start();
                        return;
                    }
                }
                throw new IllegalStateException("the child exited before it was ready");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            ready.get(90, TimeUnit.SECONDS);
        } catch (Exception e) {
            child.destroyForcibly();
            throw new AssertionError("child did not start: " + String.join("\n", seen), e);
        }
        return child;
    }

    private static Connection connect(EmbeddedDatabase db) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + db.port() + "/" + EmbeddedDatabase.DATABASE,
                "postgres", "postgres");
    }

    private static void execute(EmbeddedDatabase db, String... sql) throws SQLException {
        try (Connection c = connect(db); Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        }
    }

    private static List<String> marks(EmbeddedDatabase db) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT v FROM marks ORDER BY ctid")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
