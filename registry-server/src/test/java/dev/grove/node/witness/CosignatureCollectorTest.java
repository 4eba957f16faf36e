package dev.grove.node.witness;

import dev.grove.checkpoint.CheckpointException;
import dev.grove.checkpoint.CheckpointVerifier;
import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.node.Node;
import dev.grove.node.feature.Feature;
import dev.grove.node.feature.RouteModule;
import dev.grove.node.testing.Eventually;
import dev.grove.node.testing.TestNode;
import dev.grove.note.Cosignature;
import dev.grove.note.Note;
import dev.grove.note.NoteVerifier;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Tuple;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The log side on real nodes: node A (its log held in memory, served at {@code /log/checkpoint} with the collected
 * cosignatures) asks witness node W, a witness that is down, and a witness configured with the wrong key.
 */
class CosignatureCollectorTest {

    @TempDir
    static Path dataW;
    @TempDir
    static Path dataA;

    static Vertx vertx;
    static Node w;
    static Node a;
    static Witnessing aWitnessing;
    static WitnessHttpTest.Http httpA;
    static NoteVerifier wKey;
    static NoteVerifier downKey = NoteVerifier.cosignatureV1("down.test/grove-witness",
            Ed25519PrivateKey.generate().publicKey());
    static final MemoryLog log = new MemoryLog("a.test/grove-log");
    static final Map<String, NoteVerifier> wPeers = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        w = TestNode.start(vertx, dataW, (nodeConfig, services) -> List.of(Witnessing.create(services, nodeConfig.witness(),
                origin -> Future.succeededFuture(Optional.ofNullable(wPeers.get(origin))),
                new CosignatureStore(services.pool()), Optional.empty()).feature()));
        wKey = NoteVerifier.parse(new WitnessHttpTest.Http(w.port()).get(WitnessRoutes.KEY_PATH).body().strip());
        int downPort;
        try (ServerSocket s = new ServerSocket(0)) {
            downPort = s.getLocalPort();
        }
        NoteVerifier wrongKey = NoteVerifier.cosignatureV1(wKey.name(), Ed25519PrivateKey.generate().publicKey());
        WitnessSettings settings = WitnessSettings.defaults()
                .withWitness(WitnessEndpoint.parse("http://127.0.0.1:" + w.port() + "#" + wKey))
                .withWitness(WitnessEndpoint.parse("http://127.0.0.1:" + downPort + "/witness#" + downKey))
                .withWitness(WitnessEndpoint.parse("http://127.0.0.1:" + w.port() + "/witness#" + wrongKey));
        a = TestNode.start(vertx, TestNode.config(dataA).withWitness(settings), (nodeConfig, services) -> {
            CosignatureStore store = new CosignatureStore(services.pool());
            aWitnessing = Witnessing.create(services, nodeConfig.witness(), KnownLogs.none(), store, Optional.of(log));
            RouteModule checkpoint = (router, json) -> router.get("/log/checkpoint").handler(ctx -> log.latest()
                    .compose(latest -> store.withCosignatures(latest.orElseThrow()))
                    .onSuccess(note -> ctx.response().end(note.toString()))
                    .onFailure(ctx::fail));
            return List.of(aWitnessing.feature(), Feature.of(checkpoint));
        });
        httpA = new WitnessHttpTest.Http(a.port());
        wPeers.put(log.origin(), log.verifier()); // W witnesses A's log (as it would a followed peer)
    }

    @AfterAll
    static void stop() {
        TestNode.await(a.stop());
        TestNode.await(w.stop());
        TestNode.await(vertx.close());
    }

    /** A's served checkpoint, once it satisfies {@code ready} (the collector runs in the background). */
    private static Note served(Predicate<Note> ready) {
        return Eventually.await(Eventually.PATIENCE, () -> {
            TestNode.await(aWitnessing.collectNow());
            return Note.parse(httpA.get("/log/checkpoint").body());
        }, ready, "A serves a checkpoint that is ready");
    }

    private static boolean cosignedBy(Note note, NoteVerifier witness) {
        return note.signatures().stream().anyMatch(witness::isKeyOf);
    }

    private static long witnessSizeAtA(NoteVerifier witness) {
        var rows = TestNode.await(a.pool().preparedQuery("SELECT size FROM witness_requests WHERE witness = $1")
                .execute(Tuple.of(witness.toString())));
        return rows.size() == 0 ? -1 : rows.iterator().next().getLong(0);
    }

    @Test
    void servedCheckpointCarriesTheWitnessCosignatureAsTheLogGrows() throws Exception {
        log.grow(3);
        Note three = served(n -> cosignedBy(n, wKey));
        assertThat(three.text()).isEqualTo(log.checkpoint(3).text());
        Cosignature.verify(three, wKey);
        CheckpointVerifier verifier = CheckpointVerifier.forLog(log.verifier());
        assertThat(verifier.verifyCosigned(three.toString(), List.of(wKey, downKey), 1).size()).isEqualTo(3);
        assertThatThrownBy(() -> verifier.verifyCosigned(three.toString(), List.of(wKey, downKey), 2))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("1 of the 2 witness cosignatures needed (missing: down.test/grove-witness)");
        // only W's line: the down witness gave none, the one with the wrong key was not kept
        assertThat(three.signatures()).hasSize(2);
        assertThat(witnessSizeAtA(wKey)).isEqualTo(3);

        // the next checkpoint is sent with a consistency proof from 3
        log.grow(300);
        Note grown = served(n -> n.text().equals(log.checkpoint(303).text()) && cosignedBy(n, wKey));
        verifier.verifyCosigned(grown.toString(), List.of(wKey), 1);
        assertThat(witnessSizeAtA(wKey)).isEqualTo(303);

        // A forgets what W cosigned: W answers 409 with its size, A retries once from there
        TestNode.await(a.pool().query("DELETE FROM witness_requests").execute());
        log.grow(2);
        Note retried = served(n -> n.text().equals(log.checkpoint(305).text()) && cosignedBy(n, wKey));
        verifier.verifyCosigned(retried.toString(), List.of(wKey), 1);
        assertThat(witnessSizeAtA(wKey)).isEqualTo(305);
    }
}
