package dev.grove.node.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A registry node run the way a user runs it: {@code java -jar target/grove.jar serve} as its own operating-system process,
 * with the embedded PostgreSQL in its data directory, or with the options a test gives it (an external database, a
 * public URL). Output goes to a log file that failure messages quote.
 */
public final class NodeProcess {

    /** Exit status of a process killed by SIGKILL (128 + 9). */
    public static final int KILLED_BY_SIGKILL = 137;

    private final Process process;
    private final int port;
    private final Path log;

    private NodeProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** {@code target/grove.jar} of the cli module (failsafe runs with it as working directory). */
    public static Path jar() {
        Path jar = Path.of(System.getProperty("basedir", ".")).resolve("target").resolve("grove.jar").toAbsolutePath();
        assertThat(jar).as("the shaded jar; integration tests run after `package`").isRegularFile();
        return jar;
    }

    /** A loopback port that was free a moment ago. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts {@code java -jar grove.jar serve --port PORT --host 127.0.0.1 --data DATA}, appending its output to {@code log}. */
    static NodeProcess start(Path jar, Path data, int port, Path log) throws IOException {
        return start(jar, data, port, log, List.of(), Map.of());
    }

    /** {@link #start(Path, Path, int, Path)} with more options for {@code serve} ({@code --instances 2} is given). */
    public static NodeProcess start(Path jar, Path data, int port, Path log, List<String> options) throws IOException {
        return start(jar, data, port, log, options, Map.of());
    }

    /** {@link #start(Path, Path, int, Path)} with more options for {@code serve} and more environment variables. */
    public static NodeProcess start(Path jar, Path data, int port, Path log, List<String> options,
            Map<String, String> environment) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx384m", "-jar", jar.toString(), "serve",
                "--port", Integer.toString(port), "--host", "127.0.0.1", "--data", data.toString(), "--instances", "2"));
        command.addAll(options);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("GROVE_LOG_FORMAT", "text");
        builder.environment().putAll(environment);
        Files.writeString(log, "\n===== starting node on port " + port + " =====\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return new NodeProcess(builder.start(), port, log);
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    /** Polls {@code /healthz} until it answers 200, failing when the process exits first or the deadline passes. */
    public void awaitHealthy(Duration deadline) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        long end = System.nanoTime() + deadline.toNanos();
        String last = "no answer yet";
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new AssertionError("the node exited with status " + process.exitValue() + " before answering /healthz; "
                        + "its log ends with:\n" + logTail());
            }
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = r.statusCode() + " " + r.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the node did not answer /healthz within " + deadline.toSeconds() + " s (last: " + last
                + "); its log ends with:\n" + logTail());
    }

    /**
     * {@code kill -9}: {@link Process#destroyForcibly()} is SIGKILL on Linux (checked here by the exit status 137). The
     * JVM gets no chance to run a shutdown hook, close a file or stop its PostgreSQL.
     */
    public void killHard() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the node died after SIGKILL").isTrue();
        assertThat(process.exitValue()).as("exit status of a process killed by SIGKILL").isEqualTo(KILLED_BY_SIGKILL);
    }

    /** SIGTERM and wait: the exit status, or empty when it did not exit within {@code deadline} (then it is killed). */
    public Optional<Integer> stop(Duration deadline) throws InterruptedException {
        process.destroy();
        if (process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
            return Optional.of(process.exitValue());
        }
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        return Optional.empty();
    }

    /** The file the process writes its output to. */
    public Path log() {
        return log;
    }

    /** The last lines of the node's log, for failure messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(could not read " + log + ": " + e + ")";
        }
    }

    /**
     * The PostgreSQL server running on {@code pgDir} according to its {@code postmaster.pid}, if it is alive: the orphan a
     * killed node leaves behind, or the server of a running node.
     */
    static Optional<ProcessHandle> postmaster(Path pgDir) {
        Path pidFile = pgDir.resolve("postmaster.pid");
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.isEmpty()) {
                return Optional.empty();
            }
            return ProcessHandle.of(Long.parseLong(lines.get(0).trim()))
                    .filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().commandLine().map(c -> c.contains("postgres")).orElse(false));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The port in {@code postmaster.pid} (its fourth line), where a running node's embedded PostgreSQL listens. */
    static int postgresPort(Path pgDir) throws IOException {
        List<String> lines = Files.readAllLines(pgDir.resolve("postmaster.pid"));
        return Integer.parseInt(lines.get(3).trim());
    }

    /** Test cleanup: stops a PostgreSQL server still running on {@code pgDir} (started by this test's nodes). */
    static void stopPostmaster(Path pgDir) {
        postmaster(pgDir).ifPresent(p -> {
            p.destroy();
            try {
                p.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        });
    }
}
