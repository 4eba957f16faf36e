package dev.grove.node.log;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.json.Json;
import dev.grove.json.JsonObject;
import dev.grove.node.Features;
import dev.grove.node.Node;
import dev.grove.node.NodeConfig;
import dev.grove.node.reports.IssuerKeyFile;
import dev.grove.node.testing.Eventually;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.NodeHttp.Reply;
import dev.grove.node.testing.TestNode;
import dev.grove.node.testing.TestPackage;
import dev.grove.node.witness.WitnessKeyFile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Sequencing after commit, against real nodes on one real PostgreSQL: concurrent publishes through two processes get
 * dense indices, each version's entry exactly once and at the index its answer gave; an entry committed by a process
 * that stopped before sequencing it is numbered by the next process to start; and the database lets an entry be numbered
 * once, never renumbered.
 */
class LogSequencingTest {

    @TempDir
    Path data;

    /** Two processes (a shared database, secret files and public URL), as {@code grove serve} run twice. */
    private record Pair(Node a, Node b) {
    }

    private Pair twoNodes(Vertx vertx) throws Exception {
        NodeConfig a = TestNode.config(data.resolve("a")).withPublicUrl("http://registry.test");
        Node first = TestNode.start(vertx, a, Features::all);
        Files.createDirectories(data.resolve("b"));
        for (String secret : List.of(LogKeyFile.FILE_NAME, IssuerKeyFile.FILE_NAME, WitnessKeyFile.FILE_NAME)) {
            Files.copy(data.resolve("a").resolve(secret), data.resolve("b").resolve(secret));
        }
        Node second = TestNode.start(vertx, a.withDataDir(data.resolve("b")), Features::all);
        return new Pair(first, second);
    }

    @Test
    void concurrentPublishesThroughTwoProcessesGetDenseIndicesEachEntryOnce() throws Exception {
        Vertx vertx = Vertx.vertx();
        Pair nodes = twoNodes(vertx);
        try {
            NodeHttp a = new NodeHttp(nodes.a().port());
            NodeHttp b = new NodeHttp(nodes.b().port());
            Ed25519PrivateKey key = Ed25519PrivateKey.generate();
            List<TestPackage> packages = new ArrayList<>();
            for (int i = 0; i < 96; i++) {
                // four namespaces, each bound by whichever publish commits first (its keyset/v1 entry is logged too)
                packages.add(TestPackage.builder("seq" + (i % 4) + "/p" + i, "1.0.0").build(key));
            }
            for (TestPackage p : packages) {   // each process keeps its own blob store
                assertThat(a.putBlob(p.weights()).status()).isIn(200, 201);
                assertThat(b.putBlob(p.weights()).status()).isIn(200, 201);
            }
            // the namespaces' first publishes one by one: concurrent first publishes of a namespace race to bind it
            for (int i = 0; i < 4; i++) {
                assertThat(a.publish(packages.get(i)).status()).isEqualTo(201);
            }
            Map<String, Long> answered = new HashMap<>();
            ExecutorService threads = Executors.newFixedThreadPool(24);
            try {
                List<java.util.concurrent.Future<Reply>> replies = new ArrayList<>();
                for (int i = 4; i < packages.size(); i++) {
                    TestPackage p = packages.get(i);
                    NodeHttp via = i % 2 == 0 ? a : b;
                    replies.add(threads.submit(() -> via.publish(p)));
                }
                for (int i = 4; i < packages.size(); i++) {
                    Reply reply = replies.get(i - 4).get();
                    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
                    answered.put(packages.get(i).digest().toString(), reply.json().getJsonObject("log").getLong("index"));
                }
            } finally {
                threads.shutdown();
            }

            Pool pool = nodes.a().pool();
            Row counts = TestNode.await(pool.query(
                    "SELECT count(*), count(idx), min(idx), max(idx) FROM log_entries").execute()).iterator().next();
            long entries = counts.getLong(0);
            assertThat(entries).isEqualTo(4 + packages.size());   // four bindings, one entry per package
            assertThat(counts.getLong(1)).as("every entry numbered").isEqualTo(entries);
            assertThat(counts.getLong(2)).isZero();
            assertThat(counts.getLong(3)).as("dense: 0..n-1").isEqualTo(entries - 1);

            Map<String, Integer> perDigest = new HashMap<>();
            Map<String, Long> indexOf = new HashMap<>();
            for (Row row : TestNode.await(pool.query("SELECT idx, data FROM log_entries ORDER BY idx").execute())) {
                JsonObject entry = Json.parseObject(row.getBuffer("data").getBytes());
                if (entry.string("kind").equals("package/v1")) {
                    perDigest.merge(entry.string("digest"), 1, Integer::sum);
                    indexOf.put(entry.string("digest"), row.getLong("idx"));
                }
            }
            for (TestPackage p : packages) {
                assertThat(perDigest.get(p.digest().toString())).as(p.name() + " logged once").isEqualTo(1);
            }
            // every answer told the truth: the index it gave holds that version's entry
            answered.forEach((digest, index) -> assertThat(indexOf.get(digest)).as(digest).isEqualTo(index));
            assertThat(new HashSet<>(answered.values())).hasSize(answered.size());

            // and both processes' integrators sign a checkpoint covering all of it
            LogFetch log = new LogFetch(nodes.b().port());
            log.awaitSize(entries);
        } finally {
            TestNode.await(nodes.b().stop());
            TestNode.await(nodes.a().stop());
            TestNode.await(vertx.close());
        }
    }

    @Test
    void anEntryCommittedByAProcessThatStoppedBeforeSequencingItIsNumberedByTheNextOne() throws Exception {
        Vertx vertx = Vertx.vertx();
        NodeConfig config = TestNode.config(data.resolve("n")).withPublicUrl("http://registry.test");
        Node node = TestNode.start(vertx, config, Features::all);
        NodeHttp http = new NodeHttp(node.port());
        TestPackage pkg = TestPackage.builder("crash/model", "1.0.0").build(Ed25519PrivateKey.generate());
        http.putBlob(pkg.weights());
        long before = http.publish(pkg).json().getJsonObject("log").getLong("index") + 1;
        new LogFetch(node.port()).awaitSize(before);
        TestNode.await(node.stop());

        // a process commits entries and is gone before any round numbers them: nothing runs a sequencer meanwhile
        Pool pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(config.pgUrl().orElseThrow()))
                .using(vertx).build();
        // an appender whose sequencer is never asked
        PgLogAppender appender = new PgLogAppender(new LogSequencer(vertx, pool, 1, Duration.ofSeconds(1)));
        Set<Long> ids = new HashSet<>();
        try {
            for (int i = 0; i < 3; i++) {
                byte[] entry = ("{\"kind\":\"test\",\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
                ids.add(TestNode.await(pool.withTransaction(tx -> appender.append(tx, entry))).value());
            }
            Row unsequenced = TestNode.await(pool.query("SELECT count(*) FROM log_entries WHERE idx IS NULL").execute())
                    .iterator().next();
            assertThat(unsequenced.getLong(0)).isEqualTo(3);

            Node restarted = TestNode.start(vertx, config, Features::all);
            try {
                new LogFetch(restarted.port()).awaitSize(before + 3);
                Map<Long, Long> numbered = new HashMap<>();
                for (Row row : TestNode.await(pool.query("SELECT id, idx FROM log_entries WHERE idx >= " + before)
                        .execute())) {
                    numbered.put(row.getLong("id"), row.getLong("idx"));
                }
                assertThat(numbered.keySet()).isEqualTo(ids);
                assertThat(new HashSet<>(numbered.values())).containsExactlyInAnyOrder(before, before + 1, before + 2);
                // in the order they were appended
                List<Long> byId = numbered.keySet().stream().sorted().map(numbered::get).toList();
                assertThat(byId).containsExactly(before, before + 1, before + 2);
            } finally {
                TestNode.await(restarted.stop());
            }
        } finally {
            TestNode.await(pool.close());
            TestNode.await(vertx.close());
        }
    }

    @Test
    void twoSequencersOnOneDatabaseNumberEveryEntryOnce() throws Exception {
        Vertx vertx = Vertx.vertx();
        Node node = TestNode.start(vertx, TestNode.config(data.resolve("s")), Features::all);
        try {
            Pool pool = node.pool();
            // two more sequencers beside the node's own, each with its own folding of rounds
            LogSequencer one = new LogSequencer(vertx, pool, 7, Duration.ofSeconds(30));
            LogSequencer two = new LogSequencer(vertx, pool, 7, Duration.ofSeconds(30));
            PgLogAppender appender = new PgLogAppender(one);
            List<Future<Long>> indices = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                byte[] entry = ("{\"kind\":\"test\",\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
                LogSequencer asked = i % 2 == 0 ? one : two;
                indices.add(pool.withTransaction(tx -> appender.append(tx, entry))
                        .compose(asked::indexOf)
                        .map(index -> index.orElseThrow()));
            }
            TestNode.await(Future.all(indices));
            Set<Long> seen = new HashSet<>();
            indices.forEach(f -> seen.add(f.result()));
            assertThat(seen).hasSize(120);
            Row counts = TestNode.await(pool.query("SELECT count(*), count(idx), max(idx) FROM log_entries").execute())
                    .iterator().next();
            assertThat(counts.getLong(1)).isEqualTo(counts.getLong(0));
            assertThat(counts.getLong(2)).isEqualTo(counts.getLong(0) - 1);
        } finally {
            TestNode.stop(node, vertx);
        }
    }

    @Test
    void theDatabaseNumbersAnEntryOnceAndNeverAgain() throws Exception {
        Vertx vertx = Vertx.vertx();
        Node node = TestNode.start(vertx, TestNode.config(data.resolve("d")), Features::all);
        try {
            Pool pool = node.pool();
            LogSequencer sequencer = new LogSequencer(vertx, pool, 100, Duration.ofSeconds(30));
            LogEntryId id = TestNode.await(pool.withTransaction(tx -> new PgLogAppender(sequencer).append(tx,
                    "{\"kind\":\"test\"}".getBytes(StandardCharsets.UTF_8))));
            long index = TestNode.await(sequencer.indexOf(id)).orElseThrow();
            assertThatThrownBy(() -> TestNode.await(pool.preparedQuery("UPDATE log_entries SET idx = idx + 1000 WHERE id = $1")
                    .execute(Tuple.of(id.value())))).hasMessageContaining("append-only");
            assertThatThrownBy(() -> TestNode.await(pool.preparedQuery("UPDATE log_entries SET idx = NULL WHERE id = $1")
                    .execute(Tuple.of(id.value())))).hasMessageContaining("append-only");
            assertThatThrownBy(() -> TestNode.await(pool.preparedQuery("DELETE FROM log_entries WHERE id = $1")
                    .execute(Tuple.of(id.value())))).hasMessageContaining("append-only");
            Row row = TestNode.await(pool.preparedQuery("SELECT idx FROM log_entries WHERE id = $1")
                    .execute(Tuple.of(id.value()))).iterator().next();
            assertThat(row.getLong(0)).isEqualTo(index);
            Eventually.await(Eventually.PATIENCE, () -> TestNode.await(pool.query(
                    "SELECT count(*) FROM log_entries WHERE idx IS NULL").execute()).iterator().next().getLong(0) == 0,
                    "nothing left unsequenced");
        } finally {
            TestNode.stop(node, vertx);
        }
    }
}
