package dev.grove.node.log;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.node.Features;
import dev.grove.node.Node;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.TestNode;
import dev.grove.node.testing.TestPackage;
import io.vertx.core.Vertx;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An independent check of a live node's log: {@code src/test/go/logcheck} verifies the checkpoint, tiles, entry bundles
 * and proofs with Go's {@code golang.org/x/mod/sumdb/note} and {@code tlog}. Skipped when {@code go} or Debian's
 * {@code golang-golang-x-mod-dev} (GOPATH {@code /usr/share/gocode}, or {@code $GROVE_GOPATH}) is not installed.
 */
class LogGoCheckTest {

    @TempDir
    static Path data;

    static Vertx vertx;
    static Node node;

    static String gopath() {
        String env = System.getenv("GROVE_GOPATH");
        return env != null && !env.isBlank() ? env : "/usr/share/gocode";
    }

    static boolean goAvailable() {
        boolean onPath = false;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            onPath |= Files.isExecutable(Path.of(dir, "go"));
        }
        return onPath && Files.isDirectory(Path.of(gopath(), "src/golang.org/x/mod/sumdb/tlog"));
    }

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(goAvailable(), "go and golang.org/x/mod (golang-golang-x-mod-dev) are needed");
        vertx = Vertx.vertx();
        node = TestNode.start(vertx, data.resolve("node"), Features::all);
        NodeHttp http = new NodeHttp(node.port());
        // 300 packages in 12 namespaces: 312 entries, so a full level-0 tile, a partial one and a level-1 tile
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < 12; i++) {   // bind the namespaces first: concurrent first publishes race (409)
                assertThat(http.publish(TestPackage.builder("go" + i + "/model" + i, "1.0.0").build(key)).status())
                        .isEqualTo(201);
            }
            for (int i = 12; i < 300; i++) {
                TestPackage pkg = TestPackage.builder("go" + (i % 12) + "/model" + i, "1.0.0").build(key);
                statuses.add(threads.submit(() -> http.publish(pkg).status()));
            }
            for (var s : statuses) {
                assertThat(s.get()).isEqualTo(201);
            }
        } finally {
            threads.shutdown();
        }
        new LogFetch(node.port()).awaitSize(312);
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            TestNode.await(node.stop());
        }
        if (vertx != null) {
            TestNode.await(vertx.close());
        }
    }

    @Test
    void goReadsTheLogAndAgreesWithEveryProof() throws Exception {
        Path program = Path.of("src/test/go/logcheck").toAbsolutePath();
        assertThat(program.resolve("main.go")).exists();
        ProcessBuilder go = new ProcessBuilder("go", "run", ".", "http://127.0.0.1:" + node.port())
                .directory(program.toFile())
                .redirectErrorStream(true);
        go.environment().put("GO111MODULE", "off");
        go.environment().put("GOPATH", gopath());
        go.environment().put("GOFLAGS", "");
        go.environment().put("GOCACHE", Path.of("target/go-cache").toAbsolutePath().toString());
        Process process = go.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).startsWith("ok localhost:" + node.port() + "/grove-log size=");
    }
}
