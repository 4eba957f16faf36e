package dev.grove.node.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every command of README.md, pasted in order into a shell at the root of a fresh clone, succeeds.
 *
 * <p>The commands are read from README.md's {@code ```sh} blocks, not copied here, so the README cannot drift from what
 * works. The clone is what {@code git clone} of this working tree would give (the tracked and the untracked, not ignored
 * files) plus the jar the build just made, so the launcher does not build it again. What the test changes, and only
 * this: ports 8080 and 8081 become free ports (a developer's node may hold them); {@code ./grove serve} lines run in the
 * background until the end, and the next line runs once that node printed "Grove node ready" (and, for a node that
 * follows another, once it mirrored the whole log); {@code ./mvnw -B verify} is this test suite itself and is skipped.
 * The newcomer has no {@code GROVE_*} variables, no package cache and no pinned log keys: so has the test.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class ReadmeWalkthroughIT {

    private static final Pattern BLOCK = Pattern.compile("(?ms)^```sh\\n(.*?)^```");
    private static final Duration COMMAND_DEADLINE = Duration.ofSeconds(180);
    private static final Duration READY_DEADLINE = Duration.ofSeconds(180);
    private static final String READY = "Grove node ready";
    /** The one command the walk-through does not run: the test suite that runs this test. */
    private static final String SUITE = "./mvnw -B verify";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Server> servers = new ArrayList<>();
    private Path repo;
    private Path clone;
    private Path home;
    private int firstPort;
    private int secondPort;

    private record Server(String command, Process process, Path output, int port) {
    }

    @BeforeEach
    void setUp() throws Exception {
        Path module = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
        repo = module.getParent();
        Path jar = module.resolve("target").resolve("grove.jar");
        assertThat(jar).as("the jar, built in `package`").isRegularFile();
        Path base = Files.createDirectories(module.resolve("target").resolve("readme-it"));
        Path work = Files.createTempDirectory(base, "walk-");
        clone = work.resolve("grove");
        home = work.resolve("home");
        for (String file : git("ls-files", "--cached", "--others", "--exclude-standard", "-z").split("\0")) {
            Path source = repo.resolve(file);
            if (file.isEmpty() || !Files.isRegularFile(source)) {
                continue; // a file deleted in the working tree but not yet in git
            }
            Path target = clone.resolve(file);
            Files.createDirectories(target.getParent());
            Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
        Path clonedJar = clone.resolve(repo.relativize(module)).resolve("target").resolve("grove.jar");
        Files.createDirectories(clonedJar.getParent());
        Files.copy(jar, clonedJar);
        Files.createDirectories(home);
        firstPort = LocalProcesses.freePort();
        secondPort = LocalProcesses.freePort();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Server server : servers) {
            if (server.process().isAlive()) {
                server.process().destroyForcibly();
                server.process().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void everyReadmeCommandSucceedsInOrder() throws Exception {
        List<String> commands = commands(Files.readString(repo.resolve("README.md")));
        assertThat(commands).as("README.md's commands").contains(SUITE).anyMatch(c -> c.startsWith("./grove serve"));
        StringBuilder transcript = new StringBuilder();
        int run = 0;
        for (String readmeLine : commands) {
            if (readmeLine.equals(SUITE)) {
                continue;
            }
            String command = localise(readmeLine);
            transcript.append("$ ").append(command).append('\n');
            if (command.startsWith("./grove serve")) {
                startServer(command, transcript);
                continue;
            }
            Result result = runCommand(command);
            transcript.append(result.output());
            assertThat(result.exitCode())
                    .as("exit status of README line `%s`; the walk-through so far:\n%s", readmeLine, transcript)
                    .isZero();
            checkOutput(readmeLine, result.output(), transcript);
            run++;
        }
        assertThat(run).as("commands run besides the servers").isGreaterThanOrEqualTo(15);
        assertThat(servers).as("servers the README starts").hasSizeGreaterThanOrEqualTo(2);

        // piped, the node's log is JSON lines; PostgreSQL's own output is in the data directory, not among them
        Path postgresLog = clone.resolve("data").resolve("postgres.log");
        assertThat(postgresLog).as("the embedded PostgreSQL's output file").isRegularFile();
        assertThat(Files.readString(postgresLog)).contains("database system is ready to accept connections");
        assertThat(Files.readString(servers.get(0).output())).as("the first node's output")
                .doesNotContain("database system is ready").doesNotContain("initdb")
                .contains("\"logger_name\"").contains(READY);

        // Ctrl-C / SIGTERM ends every node cleanly: status 0, not the JVM's 143
        for (Server server : servers) {
            server.process().destroy();
            assertThat(server.process().waitFor(60, TimeUnit.SECONDS)).as("`%s` stops after SIGTERM", server.command())
                    .isTrue();
            assertThat(server.process().exitValue()).as("exit status of `%s` after SIGTERM; its output:\n%s",
                    server.command(), LocalProcesses.tail(server.output(), 30)).isZero();
        }
        LocalProcesses.deleteRecursively(clone.getParent());
    }

    /** What a few lines must print besides succeeding: the README promises it next to the command. */
    private void checkOutput(String readmeLine, String output, StringBuilder transcript) {
        String context = "output of `" + readmeLine + "`; the walk-through so far:\n" + transcript;
        if (readmeLine.startsWith("curl -s localhost:8080/healthz")) {
            assertThat(output).as(context).contains("\"status\":\"UP\"");
        } else if (readmeLine.startsWith("./grove info garden/langid-int8")) {
            assertThat(output).as(context).contains("[reproduced]").doesNotContain("[not reproduced]");
        } else if (readmeLine.startsWith("./grove run garden/langid-int8 --input \"Alle Menschen")) {
            // the most likely label comes first: "  de                97.12%"
            Matcher top = Pattern.compile("(?m)^ {2}(\\S+) +[0-9.]+%$").matcher(output);
            assertThat(top.find() ? top.group(1) : "(no label line)").as(context).isEqualTo("de");
        } else if (readmeLine.contains("| ./grove run garden/langid --inputs - --json")) {
            // one JSON line per input line, in order
            List<String> lines = output.lines().filter(l -> l.startsWith("{")).toList();
            assertThat(lines).as(context).hasSize(2);
            assertThat(lines.get(0)).as(context).startsWith("{\"label\":\"de\",\"probabilities\":{");
            assertThat(lines.get(1)).as(context).startsWith("{\"label\":\"en\",\"probabilities\":{");
        } else if (readmeLine.startsWith("./grove search")) {
            assertThat(output).as(context).contains("garden/langid");
        } else if (readmeLine.startsWith("./grove peers")) {
            assertThat(output).as(context).contains("localhost:" + firstPort);
        }
    }

    /** The README's line with the test's ports, and a port for a serve line that names none. */
    private String localise(String line) {
        String command = line.replace("8080", Integer.toString(firstPort)).replace("8081", Integer.toString(secondPort));
        if (command.startsWith("./grove serve") && !command.contains("--port")) {
            command = command.replaceFirst("^\\./grove serve", "./grove serve --port " + firstPort);
        }
        return command;
    }

    /** Each command line of the {@code ```sh} blocks in order, comments kept (the shell drops them). */
    static List<String> commands(String readme) {
        List<String> commands = new ArrayList<>();
        Matcher blocks = BLOCK.matcher(readme);
        while (blocks.find()) {
            StringBuilder pending = new StringBuilder();
            for (String line : blocks.group(1).split("\n")) {
                String stripped = line.strip();
                if (stripped.isEmpty() || stripped.startsWith("#")) {
                    continue;
                }
                if (stripped.endsWith("\\")) {
                    pending.append(stripped, 0, stripped.length() - 1).append(' ');
                    continue;
                }
                pending.append(stripped);
                commands.add(withoutComment(pending.toString()));
                pending.setLength(0);
            }
        }
        return commands;
    }

    /** The command without its trailing {@code # comment} (for matching; outside quotes only). */
    private static String withoutComment(String line) {
        boolean single = false;
        boolean dbl = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'' && !dbl) {
                single = !single;
            } else if (c == '"' && !single) {
                dbl = !dbl;
            } else if (c == '#' && !single && !dbl && i > 0 && Character.isWhitespace(line.charAt(i - 1))) {
                return line.substring(0, i).strip();
            }
        }
        return line;
    }

    private record Result(int exitCode, String output) {
    }

    private Result runCommand(String command) throws Exception {
        Path output = Files.createTempFile(home, "out-", ".txt");
        Process process = shell(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean done = process.waitFor(COMMAND_DEADLINE.toSeconds(), TimeUnit.SECONDS);
        if (!done) {
            process.destroyForcibly();
            return new Result(-1, Files.readString(output) + "\n(no answer within " + COMMAND_DEADLINE.toSeconds()
                    + " s)\n");
        }
        return new Result(process.exitValue(), Files.readString(output));
    }

    private void startServer(String command, StringBuilder transcript) throws Exception {
        Path output = home.resolve("server-" + servers.size() + ".log");
        Process process = shell(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        Matcher port = Pattern.compile("--port (\\d+)").matcher(command);
        assertThat(port.find()).as("a port on `%s`", command).isTrue();
        Server server = new Server(command, process, output, Integer.parseInt(port.group(1)));
        servers.add(server);
        long end = System.nanoTime() + READY_DEADLINE.toNanos();
        while (!Files.readString(output).contains(READY)) {
            assertThat(process.isAlive()).as("`%s` exited before it was ready; its output:\n%s\nthe walk-through so"
                    + " far:\n%s", command, LocalProcesses.tail(output, 30), transcript).isTrue();
            assertThat(System.nanoTime()).as("`%s` not ready within %d s; its output:\n%s", command,
                    READY_DEADLINE.toSeconds(), LocalProcesses.tail(output, 30)).isLessThan(end);
            Thread.sleep(200);
        }
        Matcher follow = Pattern.compile("--follow http://localhost:(\\d+)").matcher(command);
        if (follow.find()) {
            awaitMirrored(Integer.parseInt(follow.group(1)), server, end);
        }
        transcript.append("(ready)\n");
    }

    /** Waits until the mirror on {@code server} holds the whole log of the node on {@code originPort}. */
    private void awaitMirrored(int originPort, Server server, long end) throws Exception {
        String origin = get(originPort, "/log/checkpoint");
        String originName = origin.lines().findFirst().orElseThrow();
        String path = "/v1/origins/" + URLEncoder.encode(originName, StandardCharsets.UTF_8) + "/log/checkpoint";
        while (true) {
            String copy = get(server.port(), path);
            if (copy.lines().skip(1).findFirst().equals(origin.lines().skip(1).findFirst())) {
                return;
            }
            assertThat(System.nanoTime()).as("the mirror on %d did not copy %s's log (size line %s) in time; it has:"
                    + " %s\n%s", server.port(), originName, origin.lines().skip(1).findFirst(), copy,
                    LocalProcesses.tail(server.output(), 30))
                    .isLessThan(end);
            Thread.sleep(200);
        }
    }

    private String get(int port, String path) throws InterruptedException {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + path)).timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : "(" + response.statusCode() + ")";
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    private ProcessBuilder shell(String command) {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", command).directory(clone.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("GROVE_") || k.startsWith("XDG_"));
        env.put("XDG_CACHE_HOME", home.resolve("cache").toString());
        env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
        return builder;
    }

    private String git(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-C", repo.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("git %s", String.join(" ", args)).isZero();
        return out;
    }
}
