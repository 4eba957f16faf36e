package dev.grove.node.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.crypto.Sha256;
import dev.grove.pkg.Artifact;
import dev.grove.pkg.Bundle;
import dev.grove.pkg.BundleVerifier;
import dev.grove.pkg.VerifiedPackage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's node command works the way a newcomer runs it: {@code ./grove serve --demo} from the repository root, as its
 * own process, answers {@code /healthz} and serves the sample package, signed and with its weights.
 *
 * <p>Two options are added to the README's command, and only these: {@code --port} with a free port and {@code --data} with a
 * fresh directory, so that the test neither collides with a developer's node on 8080 (or its {@code ./data}) nor depends on
 * what an earlier run left there. The {@code GROVE_*} environment variables are cleared for the same reason: the newcomer
 * has none. The launcher builds the jar when it is missing; here, in the {@code integration-test} phase, it exists.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ReadmeNodeIT {

    private static final String SAMPLE = "garden/langid";
    /** A child of the sample, bred by quantization: the node re-ran the operator before accepting it. */
    private static final String CHILD = "garden/langid-int8";
    /** Deadlines, not performance assertions: a node that never comes up fails instead of hanging the build. */
    private static final Duration START_DEADLINE = Duration.ofSeconds(120);
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private Path root;
    private Path work;
    private Path data;
    private Path log;
    private Process node;
    private int port;

    @BeforeEach
    void setUp() throws IOException {
        Path module = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
        root = module.getParent();
        assertThat(root.resolve("grove")).as("the README's launcher at the repository root").isExecutable();
        assertThat(module.resolve("target").resolve("grove.jar")).as("the jar, built in `package`").isRegularFile();
        Path base = module.resolve("target").resolve("readme-it");
        Files.createDirectories(base);
        work = Files.createTempDirectory(base, "run-");
        data = work.resolve("data");
        log = work.resolve("node.log");
        port = LocalProcesses.freePort();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (node != null && node.isAlive()) {
            node.destroyForcibly();
            node.waitFor(30, TimeUnit.SECONDS);
        }
        stopOrphanedPostgres(data.resolve("postgres"));
    }

    @Test
    void readmeNodeCommandServesTheSamplePackage() throws Exception {
        // README: ./grove serve --demo   (+ --port/--data, see the class comment)
        ProcessBuilder builder = new ProcessBuilder("./grove", "serve", "--demo",
                "--port", Integer.toString(port), "--data", data.toString())
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("GROVE_"));
        node = builder.start();

        HttpResponse<String> health = poll("/healthz");
        assertThat(health.statusCode()).as("/healthz").isEqualTo(200);
        assertThat(new JsonObject(health.body()).getString("status")).as("/healthz status").isEqualTo("UP");

        // --demo publishes the sample through the node's own API right after it starts listening.
        HttpResponse<String> latest = poll("/v1/packages/" + SAMPLE + "/versions/latest");
        assertThat(latest.statusCode()).as("the sample package " + SAMPLE + ": " + latest.body()).isEqualTo(200);
        JsonObject doc = new JsonObject(latest.body());
        assertThat(doc.getString("ref")).startsWith(SAMPLE + "@");

        Bundle bundle = Bundle.parse(doc.getJsonObject("bundle").encode());
        assertThat(bundle.keys()).as("keys listed with the sample").isNotEmpty();
        VerifiedPackage verified = BundleVerifier.verify(bundle, bundle.keyMap());
        assertThat(verified.contract().name().toString()).isEqualTo(SAMPLE);
        assertThat(verified.digest().toString()).as("package digest").isEqualTo(doc.getString("digest"));

        List<Artifact> weights = verified.contract().artifacts().stream()
                .filter(a -> a.path().endsWith(".safetensors"))
                .toList();
        assertThat(weights).as("the sample's weights artifact").isNotEmpty();
        JsonArray listed = doc.getJsonArray("artifacts");
        for (Artifact artifact : weights) {
            String url = "/v1/blobs/" + artifact.digest();
            for (int i = 0; i < listed.size(); i++) {
                if (listed.getJsonObject(i).getString("path").equals(artifact.path())) {
                    url = listed.getJsonObject(i).getString("url", url);
                }
            }
            HttpResponse<byte[]> blob = http.send(HttpRequest.newBuilder(uri(url)).timeout(Duration.ofSeconds(30)).GET()
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(blob.statusCode()).as("GET " + url).isEqualTo(200);
            assertThat((long) blob.body().length).as("size of " + artifact.path()).isEqualTo(artifact.size());
            assertThat(Sha256.of(blob.body())).as("digest of " + artifact.path()).isEqualTo(artifact.digest());
        }

        HttpResponse<String> child = poll("/v1/packages/" + CHILD + "/versions/latest");
        assertThat(child.statusCode()).as("the bred sample " + CHILD + ": " + child.body()).isEqualTo(200);
        assertThat(new JsonObject(child.body()).getJsonObject("lineageReproduction").getBoolean("reproduced"))
                .as("the quantize claim re-run by the node").isTrue();

        // Ctrl-C / SIGTERM: the launcher exec's java, so the signal reaches the node itself.
        node.destroy();
        boolean exited = node.waitFor(STOP_DEADLINE.toSeconds(), TimeUnit.SECONDS);
        assertThat(exited).as("the node exits after SIGTERM; log:\n" + logTail()).isTrue();
        // A clean stop is a success: 0, not the JVM's default 143 (128 + SIGTERM), which service managers count as failure.
        assertThat(node.exitValue()).as("exit status of `grove serve` after SIGTERM (143 = the JVM's default when a"
                + " signal ends it); log:\n" + logTail()).isZero();
        LocalProcesses.deleteRecursively(work);
    }

    /**
     * GET {@code path} until it answers 200 or the start deadline passes; fails early with the log when the process exits.
     * Returns the last answer.
     */
    private HttpResponse<String> poll(String path) throws InterruptedException {
        long end = System.nanoTime() + START_DEADLINE.toNanos();
        HttpResponse<String> last = null;
        String lastError = "no answer";
        while (System.nanoTime() < end) {
            if (!node.isAlive()) {
                throw new AssertionError("`./grove serve --demo` exited with status " + node.exitValue()
                        + " before " + path + " answered 200; log:\n" + logTail());
            }
            try {
                last = http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (last.statusCode() == 200) {
                    return last;
                }
            } catch (IOException e) {
                lastError = e.toString();
            }
            Thread.sleep(200);
        }
        if (last != null) {
            return last;
        }
        throw new AssertionError(path + " did not answer within " + START_DEADLINE.toSeconds() + " s (" + lastError
                + "); log:\n" + logTail());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(could not read " + log + ": " + e + ")";
        }
    }

    /** Cleanup after a failure: a PostgreSQL still running on the test's data directory (started by this test's node). */
    private static void stopOrphanedPostgres(Path pgDir) throws IOException {
        Path pidFile = pgDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty()) {
            return;
        }
        ProcessHandle.of(Long.parseLong(lines.get(0).trim()))
                .filter(p -> p.info().commandLine().map(c -> c.contains("postgres")).orElse(false))
                .ifPresent(p -> {
                    p.destroy();
                    try {
                        p.onExit().get(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        p.destroyForcibly();
                    }
                });
    }
}
