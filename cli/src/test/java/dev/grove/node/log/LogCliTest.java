package dev.grove.node.log;

import dev.grove.cli.GroveCommand;
import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.node.Features;
import dev.grove.node.Node;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.TestNode;
import dev.grove.node.testing.TestPackage;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code grove pull} and {@code grove verify} check a version's inclusion proof against a checkpoint signed by the log's
 * pinned key, rebuilding the entry from the bundle they verified; a node signing with another key is refused.
 */
class LogCliTest {

    @TempDir
    static Path dir;

    static Vertx vertx;
    static Node honest;
    static Node liar;
    static String previousConfigDir;

    @BeforeAll
    static void start() throws Exception {
        previousConfigDir = System.getProperty("grove.config.dir");
        System.setProperty("grove.config.dir", dir.resolve("config").toString());
        vertx = Vertx.vertx();
        honest = TestNode.start(vertx, dir.resolve("honest"), Features::all);
        // same origin (public URL) as the honest node, its own log key: a node showing another history under that name
        liar = TestNode.start(vertx, TestNode.config(dir.resolve("liar")).withPublicUrl("http://localhost:" + honest.port()),
                Features::all);
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        TestPackage pkg = TestPackage.builder("kilo/langid", "1.0.0").build(key);
        assertThat(new NodeHttp(honest.port()).publish(pkg).status()).isEqualTo(201);
        assertThat(new NodeHttp(liar.port()).publish(pkg).status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (previousConfigDir == null) {
            System.clearProperty("grove.config.dir");
        } else {
            System.setProperty("grove.config.dir", previousConfigDir);
        }
        TestNode.await(honest.stop());
        TestNode.await(liar.stop());
        TestNode.await(vertx.close());
    }

    record Result(int exit, String out, String err) {
    }

    static Result grove(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = GroveCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    static String registry(Node node) {
        return "http://127.0.0.1:" + node.port();
    }

    @Test
    void pullVerifiesTheProofAndVerifyChecksItAgainstThePinnedKey() throws Exception {
        String origin = "localhost:" + honest.port() + "/grove-log";
        Path out = dir.resolve("pulled");
        Result pull = grove("pull", "kilo/langid@1.0.0", "--out", out.toString(), "--registry", registry(honest));
        assertThat(pull.exit()).as(pull.toString()).isZero();
        assertThat(pull.out()).contains("log         entry 1 of log " + origin + ", in its signed checkpoint of size");
        String key = new LogFetch(honest.port()).logKey();
        // pinned on first use, on this machine too
        assertThat(pull.err()).contains("pinned log key " + key);
        assertThat(out.resolve("grove.log.json")).exists();
        assertThat(Files.readString(dir.resolve("config/known-logs"))).contains(key);

        Result pinned = grove("verify", out.toString());
        assertThat(pinned.exit()).as(pinned.toString()).isZero();
        assertThat(pinned.out()).contains("log         entry 1 of log " + origin);
        assertThat(grove("verify", out.toString(), "--log-key", key).exit()).isZero();

        // a saved proof whose log is not pinned is not taken as checked
        Result forgotten = grove("trust", "forget", origin);
        assertThat(forgotten.exit()).as(forgotten.toString()).isZero();
        Result unpinned = grove("verify", out.toString());
        assertThat(unpinned.exit()).as(unpinned.toString()).isEqualTo(1);
        assertThat(unpinned.err()).contains("no key is pinned for log " + origin);
        Result announced = grove("trust", "pin", origin);   // from the origin's own node, printed to compare
        assertThat(announced.exit()).as(announced.toString()).isZero();
        assertThat(announced.out()).contains("pinned log " + origin + " to " + key + " (announced by http://localhost:"
                + honest.port() + ")");
        assertThat(grove("trust", "pin", origin, "--key", key).out()).contains("already pinned");
        assertThat(grove("verify", out.toString()).exit()).isZero();

        // a proof for another entry, or with a changed hash, does not verify
        Path log = out.resolve("grove.log.json");
        String saved = Files.readString(log);
        Files.writeString(log, saved.replace("\"index\": 1", "\"index\": 0").replace("\"index\":1", "\"index\":0"));
        Result moved = grove("verify", out.toString());
        assertThat(moved.exit()).as(moved.toString()).isEqualTo(1);
        assertThat(moved.err()).contains("is not entry 0 of log " + origin);
        Files.writeString(log, saved);
        assertThat(grove("verify", out.toString()).exit()).isZero();

        // a changed card changes the rebuilt entry (and fails its signature check first)
        byte[] bundle = Files.readAllBytes(out.resolve("grove.bundle.json"));
        assertThat(new String(bundle, StandardCharsets.UTF_8)).contains("\"payload\"");

        // the lying node's checkpoint is signed by another key under the same origin: refused, nothing written
        Path refused = dir.resolve("refused");
        Result lie = grove("pull", "kilo/langid@1.0.0", "--out", refused.toString(), "--registry", registry(liar));
        assertThat(lie.exit()).as(lie.toString()).isEqualTo(1);
        assertThat(lie.err()).contains("does not verify with the key of log " + origin + " (" + key + ")")
                .contains("grove trust forget " + origin);
        assertThat(refused).doesNotExist();

        String liarKey = new LogFetch(liar.port()).logKey();
        Result explicit = grove("pull", "kilo/langid@1.0.0", "--out", refused.toString(), "--registry", registry(liar),
                "--log-key", liarKey);
        assertThat(explicit.exit()).as(explicit.toString()).isEqualTo(1);
        assertThat(explicit.err()).contains("is not the key pinned for log " + origin);
        assertThat(refused).doesNotExist();
    }
}
