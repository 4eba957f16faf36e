package dev.grove.node.readme;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code grove serve} shows a person with {@code --log-format file} (the default on a terminal): a short summary and
 * no log lines; the log, access lines included, is JSON lines in {@code <data>/node.log}, and PostgreSQL's output is in
 * {@code <data>/postgres.log}.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ServeOutputIT {

    @TempDir
    Path tmp;

    @Test
    void fileFormatKeepsTheTerminalForTheSummary() throws Exception {
        Path module = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
        Path data = tmp.resolve("data");
        Path output = tmp.resolve("terminal.txt");
        int port = LocalProcesses.freePort();
        ProcessBuilder builder = new ProcessBuilder("./grove", "serve", "--log-format", "file", "--port",
                Integer.toString(port), "--data", data.toString())
                .directory(module.getParent().toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("GROVE_"));
        Process node = builder.start();
        try {
            long end = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            while (!Files.readString(output).contains("Ctrl-C (or SIGTERM)")) {
                assertThat(node.isAlive()).as("grove serve exited; it printed:\n%s", Files.readString(output)).isTrue();
                assertThat(System.nanoTime()).as("no summary in time; printed:\n%s", Files.readString(output))
                        .isLessThan(end);
                Thread.sleep(200);
            }
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/healthz")).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);

            String terminal = Files.readString(output);
            assertThat(terminal).contains("Grove node ready")
                    .contains("http://localhost:" + port)
                    .contains(data.toAbsolutePath().normalize().toString())
                    .contains(data.resolve("node.log").toString())
                    .contains(data.resolve("postgres.log").toString());
            assertThat(terminal.lines()).as("log lines on the terminal").noneMatch(l -> l.startsWith("{"))
                    .noneMatch(l -> l.contains("applied migration")).noneMatch(l -> l.contains("initdb"));

            Path log = data.resolve("node.log");
            while (!Files.readString(log).contains("GET /healthz 200")) { // the access log is written from a queue
                assertThat(System.nanoTime()).as("no access line in node.log").isLessThan(end);
                Thread.sleep(100);
            }
            List<String> lines = Files.readAllLines(log);
            assertThat(lines).as("node.log").isNotEmpty();
            for (String line : lines) {
                JsonObject json = new JsonObject(line); // every line is one JSON object
                assertThat(json.getString("message")).as(line).isNotNull();
                assertThat(json.containsKey("@version")).as("the same fields as stdout's JSON lines").isFalse();
            }
            assertThat(lines).anyMatch(l -> l.contains("applied migration V001"));
            assertThat(Files.readString(data.resolve("postgres.log"))).contains("database system is ready");
        } finally {
            node.destroy();
            assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(node.exitValue()).as("exit status after SIGTERM").isZero();
    }
}
