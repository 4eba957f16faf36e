package dev.grove.node.witness;

import dev.grove.checkpoint.CheckpointException;
import dev.grove.checkpoint.CheckpointVerifier;
import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.node.Node;
import dev.grove.node.testing.TestNode;
import dev.grove.note.Cosignature;
import dev.grove.note.Note;
import dev.grove.note.NoteSignature;
import dev.grove.note.NoteVerifier;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A witness node W on loopback, asked by hand-built logs (format layer only) through real HTTP: every answer of
 * c2sp.org/tlog-witness add-checkpoint, the evidence of a split view, and the race the spec warns about.
 */
class WitnessHttpTest {

    @TempDir
    static Path data;

    static Vertx vertx;
    static Node witnessNode;
    static Http http;
    static NoteVerifier witnessKey;
    /** The logs W witnesses (its "followed peers"), filled by the tests. */
    static final Map<String, NoteVerifier> peers = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        witnessNode = TestNode.start(vertx, data, (nodeConfig, services) -> List.of(Witnessing.create(services, nodeConfig.witness(),
                origin -> Future.succeededFuture(Optional.ofNullable(peers.get(origin))),
                new CosignatureStore(services.pool()), Optional.empty()).feature()));
        http = new Http(witnessNode.port());
        Reply key = http.get(WitnessRoutes.KEY_PATH);
        assertThat(key.status()).isEqualTo(200);
        witnessKey = parseKey(key.body().strip());
    }

    @AfterAll
    static void stop() {
        TestNode.await(witnessNode.stop());
        TestNode.await(vertx.close());
    }

    private static NoteVerifier parseKey(String key) {
        try {
            return NoteVerifier.parse(key);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static MemoryLog newLog(String origin) {
        MemoryLog log = new MemoryLog(origin);
        peers.put(origin, log.verifier());
        return log;
    }

    private static String body(long oldSize, List<byte[]> proof, Note checkpoint) {
        return new String(new AddCheckpointRequest(oldSize, proof, checkpoint).toBytes(), StandardCharsets.UTF_8);
    }

    private static Reply add(MemoryLog log, long oldSize, long size) {
        return http.add(body(oldSize, oldSize == 0 ? List.of() : log.proof(oldSize, size), log.checkpoint(size)));
    }

    /** The note with the witness's answer appended, as the spec suggests a client read it. */
    private static Note cosigned(Note checkpoint, Reply reply) throws Exception {
        return Note.parse(checkpoint.toString() + reply.body());
    }

    private static void assertProblem(Reply reply, int status, String detail) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(new JsonObject(reply.body()).getString("detail")).contains(detail);
    }

    private static void assertConflict(Reply reply, long knownSize) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(409);
        assertThat(reply.contentType()).isEqualTo("text/x.tlog.size");
        assertThat(reply.body()).isEqualTo(knownSize + "\n");
    }

    private static List<Row> evidence(String origin) {
        List<Row> rows = new ArrayList<>();
        TestNode.await(witnessNode.pool().preparedQuery("SELECT * FROM witness_evidence WHERE origin = $1 ORDER BY id")
                .execute(io.vertx.sqlclient.Tuple.of(origin))).forEach(rows::add);
        return rows;
    }

    @Test
    void witnessKeyIsPublishedAndKeptPrivate() throws IOException {
        assertThat(witnessKey.type()).isEqualTo(NoteVerifier.COSIGNATURE_V1);
        assertThat(witnessKey.name()).isEqualTo("localhost:" + witnessNode.port() + "/grove-witness");
        Path file = data.resolve(WitnessKeyFile.FILE_NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        // the same key after a reload
        assertThat(WitnessKeyFile.loadOrCreate(data, witnessKey.name()).verifier()).isEqualTo(witnessKey);
        assertThat(WitnessKeyFile.loadOrCreate(data, witnessKey.name()).toString()).doesNotContain(
                new JsonObject(Files.readString(file)).getString("privateKey"));
    }

    @Test
    void cosignsAConsistentHistoryAndAClientCanDemandTheQuorum() throws Exception {
        MemoryLog log = newLog("good.test/grove-log").grow(5);

        Reply first = add(log, 0, 5);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.contentType()).startsWith("text/plain");
        assertThat(first.body()).startsWith("\u2014 " + witnessKey.name() + " ").endsWith("\n");
        assertThat(first.body().lines().count()).isEqualTo(1);
        Note note = cosigned(log.checkpoint(5), first);
        Cosignature c = Cosignature.verify(note, witnessKey);
        assertThat(c.timestamp()).isBetween(System.currentTimeMillis() / 1000 - 60, System.currentTimeMillis() / 1000 + 1);

        CheckpointVerifier verifier = CheckpointVerifier.forLog(log.verifier());
        NoteVerifier other = NoteVerifier.cosignatureV1("other.test/grove-witness",
                Ed25519PrivateKey.generate().publicKey());
        assertThat(verifier.verifyCosigned(note.toString(), List.of(witnessKey, other), 1).size()).isEqualTo(5);
        assertThatThrownBy(() -> verifier.verifyCosigned(note.toString(), List.of(witnessKey, other), 2))
                .isInstanceOf(CheckpointException.class)
                .hasMessage("checkpoint has 1 of the 2 witness cosignatures needed (missing: other.test/grove-witness)");

        // the same checkpoint again is cosigned again (old size = size, same root)
        assertThat(add(log, 5, 5).status()).isEqualTo(200);
        // growing with a proof from the cosigned size
        log.grow(300);
        Reply grown = add(log, 5, 305);
        assertThat(grown.status()).as(grown.body()).isEqualTo(200);
        Cosignature.verify(cosigned(log.checkpoint(305), grown), witnessKey);
        // a client that still believes old size 0 learns the witness's size
        log.grow(1);
        assertConflict(add(log, 0, 306), 305);
        assertThat(add(log, 305, 306).status()).isEqualTo(200);
    }

    @Test
    void refusesARollbackWithItsKnownSize() {
        MemoryLog log = newLog("rollback.test/grove-log").grow(10);
        assertThat(add(log, 0, 10).status()).isEqualTo(200);
        // an older checkpoint, presented as a step from anything but 10: 409 and the witness's size
        assertConflict(add(log, 4, 7), 10);
        assertConflict(add(log, 0, 7), 10);
        // presented as a step from 10: old size above the checkpoint size
        Reply above = http.add(body(10, List.of(), log.checkpoint(7)));
        assertProblem(above, 400, "old size 10 is above the checkpoint size 7");
        assertThat(add(log, 10, 10).status()).isEqualTo(200);
    }

    @Test
    void refusesABadConsistencyProofWith422() {
        MemoryLog log = newLog("badproof.test/grove-log").grow(20);
        assertThat(add(log, 0, 20).status()).isEqualTo(200);
        log.grow(13);
        List<byte[]> proof = log.proof(20, 33);
        proof.get(0)[0] ^= 1;
        assertProblem(http.add(body(20, proof, log.checkpoint(33))), 422, "does not verify");
        // a proof of the wrong length, and an empty proof
        assertProblem(http.add(body(20, proof.subList(1, proof.size()), log.checkpoint(33))), 422, "must have");
        assertProblem(http.add(body(20, List.of(), log.checkpoint(33))), 422, "must have");
        // nothing moved: the right proof is still accepted from 20
        assertThat(add(log, 20, 33).status()).isEqualTo(200);
        assertThat(evidence("badproof.test/grove-log")).hasSize(3)
                .allSatisfy(row -> assertThat(row.getString("kind")).isEqualTo("bad-proof"));
    }

    @Test
    void refusesABadLogSignatureWith403() {
        MemoryLog log = newLog("badsig.test/grove-log").grow(3);
        // signed by another key under the log's name: no signature by the trusted key
        MemoryLog impostor = new MemoryLog("badsig.test/grove-log").grow(3);
        assertProblem(add(impostor, 0, 3), 403, "no valid signature by its log key");
        // the trusted key's signature line with a flipped bit
        Note good = log.checkpoint(3);
        NoteSignature sig = good.signatures().get(0);
        byte[] bytes = sig.signature();
        bytes[10] ^= 1;
        Note tampered = Note.of(good.text(), List.of(NoteSignature.of(sig.name(), sig.keyId(), bytes)));
        assertProblem(http.add(body(0, List.of(), tampered)), 403, "invalid signature");
        // nothing was recorded: the genuine checkpoint is the first one
        assertThat(add(log, 0, 3).status()).isEqualTo(200);
    }

    @Test
    void refusesAnUnknownOriginWith404() {
        MemoryLog stranger = new MemoryLog("stranger.test/grove-log").grow(3);
        assertProblem(add(stranger, 0, 3), 404, "does not witness the log 'stranger.test/grove-log'");
    }

    @Test
    void refusesMalformedRequestsWith400() {
        MemoryLog log = newLog("malformed.test/grove-log").grow(3);
        String good = body(0, List.of(), log.checkpoint(3));
        assertProblem(http.add(good.replace("old 0\n", "old 00\n")), 400, "old size is not a decimal number");
        assertProblem(http.add(good.replace("old 0\n", "old -1\n")), 400, "old size is not a decimal number");
        assertProblem(http.add(good.replace("old 0\n", "size 0\n")), 400, "must start with the line 'old <size>'");
        assertProblem(http.add("old 0\n"), 400, "ends inside");
        assertProblem(http.add(good.replace("old 0\n", "old 0\nnot-a-hash\n")), 400,
                "consistency proof line 1 is not the base64 of a 32-byte hash");
        StringBuilder many = new StringBuilder("old 1\n");
        for (int i = 0; i < 64; i++) {
            many.append("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n");
        }
        assertProblem(http.add(many + "\n" + log.checkpoint(3)), 400, "more than 63");
        assertProblem(http.add("old 0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n\n" + log.checkpoint(3)), 400,
                "the consistency proof must be empty when the old size is 0");
        assertProblem(http.add(good.replace("\u2014 ", "- ")), 400, "checkpoint: signature line 1 does not start");
    }

    @Test
    void catchesASplitViewAndKeepsBothNotes() throws Exception {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        MemoryLog honest = new MemoryLog("split.test/grove-log", key, "").grow(12);
        MemoryLog fork = new MemoryLog("split.test/grove-log", key, " (forked)").grow(12);
        peers.put("split.test/grove-log", honest.verifier());
        assertThat(add(honest, 0, 12).status()).isEqualTo(200);

        // the same size with another root, both signed by the log: refused, and the evidence kept
        Reply split = add(fork, 12, 12);
        assertConflict(split, 12);
        List<Row> rows = evidence("split.test/grove-log");
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).getString("kind")).isEqualTo("split-view");
        assertThat(rows.get(0).getString("cosigned_note")).isEqualTo(honest.checkpoint(12).toString());
        assertThat(rows.get(0).getString("presented_note")).isEqualTo(fork.checkpoint(12).toString());
        // both notes verify with the log's key: the log itself signed two histories
        CheckpointVerifier.forLog(honest.verifier()).verify(rows.get(0).getString("cosigned_note"));
        CheckpointVerifier.forLog(honest.verifier()).verify(rows.get(0).getString("presented_note"));

        // presented with another old size, it is still caught
        assertConflict(add(fork, 0, 12), 12);
        assertThat(evidence("split.test/grove-log")).hasSize(2);
        // a longer fork cannot prove consistency with the cosigned checkpoint
        fork.grow(5);
        assertProblem(add(fork, 12, 17), 422, "does not verify");
        // the honest history goes on
        honest.grow(5);
        assertThat(add(honest, 12, 17).status()).isEqualTo(200);
    }

    @Test
    void concurrentRequestsFromOneSizeAdvanceOnce() {
        MemoryLog log = newLog("race.test/grove-log").grow(4);
        assertThat(add(log, 0, 4).status()).isEqualTo(200);
        log.grow(20);
        List<CompletableFuture<Reply>> replies = new ArrayList<>();
        for (int size = 5; size <= 24; size++) {
            replies.add(http.addAsync(body(4, log.proof(4, size), log.checkpoint(size))));
        }
        List<Reply> done = replies.stream().map(CompletableFuture::join).toList();
        assertThat(done).filteredOn(r -> r.status() == 200).hasSize(1);
        assertThat(done).filteredOn(r -> r.status() == 409).hasSize(19);
        long winner = 5 + done.indexOf(done.stream().filter(r -> r.status() == 200).findFirst().orElseThrow());
        assertThat(done).filteredOn(r -> r.status() == 409).allSatisfy(r -> assertThat(r.body())
                .isEqualTo(winner + "\n"));
    }

    /** A response, its body as text. */
    record Reply(int status, String contentType, String body) {
    }

    /** Plain HTTP/1.1 against the node. */
    static final class Http {
        private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private final String base;

        Http(int port) {
            this.base = "http://127.0.0.1:" + port;
        }

        Reply get(String path) {
            return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
        }

        Reply add(String body) {
            return addAsync(body).join();
        }

        CompletableFuture<Reply> addAsync(String body) {
            return client.sendAsync(HttpRequest.newBuilder(URI.create(base + WitnessRoutes.ADD_CHECKPOINT))
                            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).thenApply(Http::reply);
        }

        private Reply send(HttpRequest request) {
            try {
                return reply(client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private static Reply reply(HttpResponse<String> r) {
            return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
        }
    }
}
