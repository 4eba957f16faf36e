package dev.grove.node.witness;

import dev.grove.checkpoint.CheckpointException;
import dev.grove.checkpoint.CheckpointVerifier;
import dev.grove.cli.GroveCommand;
import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.node.Features;
import dev.grove.node.Node;
import dev.grove.node.log.LogKey;
import dev.grove.node.log.LogKeyFile;
import dev.grove.node.testing.Eventually;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.TestNode;
import dev.grove.node.testing.TestPackage;
import dev.grove.note.Cosignature;
import dev.grove.note.Note;
import dev.grove.note.NoteVerifier;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two whole nodes ({@code Features::all}) on loopback: A publishes and asks witness W; W witnesses A's log (configured
 * with A's log key). A's served checkpoint then carries W's cosignature, which verifies with the key W publishes, and
 * {@code grove pull --witness} demands it.
 */
class WitnessFederationTest {

    @TempDir
    static Path dataA;
    @TempDir
    static Path dataW;
    @TempDir
    static Path work;

    static Vertx vertx;
    static Node a;
    static Node w;
    static NoteVerifier aLogKey;
    static NoteVerifier wKey;
    static NodeHttp httpA;
    static final NoteVerifier OTHER = NoteVerifier.cosignatureV1("other.test/grove-witness",
            Ed25519PrivateKey.generate().publicKey());

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        int portA = freePort();
        int portW = freePort();
        // each key is made before its node starts, so that each node can be configured with the other's
        aLogKey = LogKeyFile.loadOrCreate(dataA, LogKey.originFor("http://localhost:" + portA)).verifier();
        wKey = WitnessKeyFile.loadOrCreate(dataW, WitnessKey.nameFor("http://localhost:" + portW)).verifier();
        w = TestNode.start(vertx, TestNode.config(dataW).withPort(portW)
                .withWitness(WitnessSettings.defaults().withLog(aLogKey)), Features::all);
        a = TestNode.start(vertx, TestNode.config(dataA).withPort(portA).withWitness(WitnessSettings.defaults()
                .withWitness(WitnessEndpoint.parse("http://127.0.0.1:" + portW + "#" + wKey))), Features::all);
        httpA = new NodeHttp(a.port());
    }

    @AfterAll
    static void stop() {
        TestNode.await(a.stop());
        TestNode.await(w.stop());
        TestNode.await(vertx.close());
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Note checkpointOfA(Predicate<Note> ready) {
        return Eventually.await(Eventually.PATIENCE, () -> Note.parse(httpA.get("/log/checkpoint").body()), ready,
                "A serves a checkpoint that is ready");
    }

    private static boolean cosignedByW(Note note) {
        return note.signatures().stream().anyMatch(wKey::isKeyOf);
    }

    @Test
    void publishedOnAThenCosignedByWAndDemandedByPull() throws Exception {
        assertThat(new NodeHttp(w.port()).get(WitnessRoutes.KEY_PATH).body()).isEqualTo(wKey + "\n");
        Ed25519PrivateKey publisher = Ed25519PrivateKey.generate();
        TestPackage pkg = TestPackage.builder("fed/langid", "1.0.0").build(publisher);
        assertThat(httpA.publish(pkg).status()).isEqualTo(201);

        Note note = checkpointOfA(n -> cosignedByW(n) && !n.text().contains("\n0\n"));
        assertThat(cosignedByW(note)).as(note.toString()).isTrue();
        Cosignature.verify(note, wKey);
        CheckpointVerifier verifier = CheckpointVerifier.forLog(aLogKey);
        assertThat(verifier.verifyCosigned(note.toString(), List.of(wKey), 1).size()).isPositive();
        assertThatThrownBy(() -> verifier.verifyCosigned(note.toString(), List.of(wKey, OTHER), 2))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("1 of the 2 witness cosignatures needed");

        // W's record of A's log is that checkpoint
        var state = TestNode.await(w.pool().preparedQuery("SELECT size, note FROM witness_state WHERE origin = $1")
                .execute(Tuple.of(aLogKey.name()))).iterator().next();
        assertThat(Note.parse(state.getString("note")).text()).isEqualTo(note.text());

        // the version document's log proof is against the cosigned checkpoint: grove pull demands W
        JsonObject doc = httpA.get("/v1/packages/fed/langid/versions/1.0.0").json();
        assertThat(doc.getJsonObject("log").getString("checkpoint")).isEqualTo(note.toString());
        String registry = "http://127.0.0.1:" + a.port();
        Result one = grove("pull", "fed/langid@1.0.0", "--registry", registry, "--out", work.resolve("one").toString(),
                "--witness", wKey.toString(), "--min-witnesses", "1");
        assertThat(one.code()).as(one.toString()).isZero();
        assertThat(one.out()).contains("witnesses   checkpoint cosigned by 1 of the 1 witness(es) given, 1 needed");
        Result two = grove("pull", "fed/langid@1.0.0", "--registry", registry, "--out", work.resolve("two").toString(),
                "--witness", wKey.toString(), "--witness", OTHER.toString(), "--min-witnesses", "2");
        assertThat(two.code()).as(two.toString()).isEqualTo(1);
        assertThat(two.err()).contains("has 1 valid cosignature(s) by the 2 witness(es) given, 2 needed (missing: "
                + OTHER.name() + ")");
        assertThat(work.resolve("two")).doesNotExist();
    }

    @Test
    void witnessesTheLogsOfTrustedFollowedPeersOnly() {
        MemoryLog peer = new MemoryLog("peer.test/grove-log").grow(4);
        WitnessHttpTest.Http http = new WitnessHttpTest.Http(w.port());
        String body = new String(new AddCheckpointRequest(0, List.of(), peer.checkpoint(4)).toBytes(),
                StandardCharsets.UTF_8);
        assertThat(http.add(body).status()).isEqualTo(404);
        TestNode.await(w.pool().preparedQuery("INSERT INTO mirrored_logs (origin, log_key, status) VALUES ($1, $2, $3)")
                .execute(Tuple.of(peer.origin(), peer.verifier().toString(), "quarantined")));
        TestNode.await(w.pool().preparedQuery("INSERT INTO peers (url, origin) VALUES ($1, $2)")
                .execute(Tuple.of("http://peer.test", peer.origin())));
        assertThat(http.add(body).status()).isEqualTo(404);
        TestNode.await(w.pool().preparedQuery("UPDATE mirrored_logs SET status = 'trusted' WHERE origin = $1")
                .execute(Tuple.of(peer.origin())));
        assertThat(http.add(body).status()).isEqualTo(200);
    }

    record Result(int code, String out, String err) {
    }

    private static Result grove(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = GroveCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
