package dev.grove.node.secrets;

import static dev.grove.node.testing.TestNode.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.node.Features;
import dev.grove.node.Node;
import dev.grove.node.NodeConfig;
import dev.grove.node.db.Migrations;
import dev.grove.node.log.LogKeyFile;
import dev.grove.node.reports.IssuerKeyFile;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.TestDatabase;
import dev.grove.node.testing.TestNode;
import dev.grove.node.witness.WitnessKeyFile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up check that every process of a node holds the same keys, on a real PostgreSQL: the first check records,
 * later ones compare, concurrent first checks agree on one record, and a whole node with other key files refuses to
 * start with a message that says which key, where, and what to do.
 */
class SharedKeysTest {

    @TempDir
    Path data;

    private Vertx vertx;
    private final List<Pool> pools = new ArrayList<>();

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() {
        pools.forEach(p -> await(p.close()));
        await(vertx.close());
    }

    private PgConnectOptions database;

    private Pool migratedPool() {
        database = TestDatabase.fresh();
        Pool pool = pool();
        await(Migrations.load(Migrations.NODE_DIRECTORY).apply(pool));
        return pool;
    }

    private Pool pool() {
        Pool pool = PgBuilder.pool().connectingTo(database).using(vertx).build();
        pools.add(pool);
        return pool;
    }

    private static List<HeldKey> keys(String log, String issuer, String witness) {
        return List.of(new HeldKey("log key", Path.of("/d/log-key.json"), log),
                new HeldKey("report issuer key", Path.of("/d/report-key.json"), issuer),
                new HeldKey("witness key", Path.of("/d/witness-key.json"), witness));
    }

    @Test
    void theFirstCheckRecordsAndLaterOnesCompare() {
        Pool pool = migratedPool();
        await(SharedKeys.check(pool, Path.of("/d"), keys("ed25519:A", "rsa:B", "ed25519:C")));
        await(SharedKeys.check(pool, Path.of("/d"), keys("ed25519:A", "rsa:B", "ed25519:C")));

        List<String> recorded = new ArrayList<>();
        for (Row row : await(pool.query("SELECT name || '=' || public_key FROM shared_keys ORDER BY name").execute())) {
            recorded.add(row.getString(0));
        }
        assertThat(recorded).containsExactly("log key=ed25519:A", "report issuer key=rsa:B", "witness key=ed25519:C");

        assertThatThrownBy(() -> await(SharedKeys.check(pool, Path.of("/other"),
                List.of(new HeldKey("log key", Path.of("/other/log-key.json"), "ed25519:A"),
                        new HeldKey("report issuer key", Path.of("/other/report-key.json"), "rsa:B"),
                        new HeldKey("witness key", Path.of("/other/witness-key.json"), "ed25519:X")))))
                .isInstanceOf(KeyMismatchException.class)
                .hasMessage("the witness key in /other/witness-key.json is not the key the other processes of this node "
                        + "hold (recorded in its database when it first started). Every process of one node must hold the "
                        + "same secret files: stop this process, copy log-key.json, report-key.json, witness-key.json "
                        + "from the data directory of a process already running into /other, and start it again.");
    }

    @Test
    void everyDifferingKeyIsNamed() {
        Pool pool = migratedPool();
        await(SharedKeys.check(pool, Path.of("/d"), keys("ed25519:A", "rsa:B", "ed25519:C")));

        assertThatThrownBy(() -> await(SharedKeys.check(pool, Path.of("/d"), keys("ed25519:Z", "rsa:B", "ed25519:Y"))))
                .isInstanceOf(KeyMismatchException.class)
                .hasMessageStartingWith("the log key in /d/log-key.json, the witness key in /d/witness-key.json are not "
                        + "the keys the other processes of this node hold")
                .hasMessageNotContaining("report issuer key in");
        // a refused check records nothing: the first keys stay
        assertThat(await(pool.query("SELECT public_key FROM shared_keys WHERE name = 'log key'").execute())
                .iterator().next().getString(0)).isEqualTo("ed25519:A");
    }

    @Test
    void processesStartingTogetherAgreeOnOneRecord() {
        Pool pool = migratedPool();
        List<Future<Void>> checks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            // each its own pool: its own connection and transaction, as separate processes have
            Pool own = pool();
            checks.add(SharedKeys.check(own, Path.of("/d" + i), keys("ed25519:" + (i % 2), "rsa:B", "ed25519:C")));
        }
        int passed = 0;
        int refused = 0;
        for (Future<Void> check : checks) {
            try {
                await(check);
                passed++;
            } catch (KeyMismatchException e) {
                refused++;
            }
        }
        // the four holding the recorded log key pass, the four others are refused, whichever inserted first
        assertThat(passed).isEqualTo(4);
        assertThat(refused).isEqualTo(4);
        assertThat(await(pool.query("SELECT count(*) FROM shared_keys").execute()).iterator().next().getLong(0))
                .isEqualTo(3);
    }

    @Test
    void aNodeWithOtherKeyFilesRefusesToStartUntilTheyAreCopied() throws Exception {
        NodeConfig first = TestNode.config(data.resolve("a")).withPublicUrl("http://registry.test");
        Node a = TestNode.start(vertx, first, Features::all);
        try {
            Path b = data.resolve("b");
            assertThatThrownBy(() -> TestNode.start(vertx, first.withDataDir(b), Features::all))
                    .isInstanceOf(KeyMismatchException.class)
                    .hasMessageStartingWith("the log key in " + b.resolve("log-key.json").toAbsolutePath()
                            + ", the report issuer key in " + b.resolve("report-key.json").toAbsolutePath()
                            + ", the witness key in " + b.resolve("witness-key.json").toAbsolutePath() + " are not")
                    .hasMessageContaining("into " + b.toAbsolutePath() + ", and start it again.");
            assertThat(new NodeHttp(a.port()).get("/healthz").status()).as("the running process").isEqualTo(200);

            // the operator's fix: the running process's secret files, copied
            for (String file : List.of(LogKeyFile.FILE_NAME, IssuerKeyFile.FILE_NAME, WitnessKeyFile.FILE_NAME)) {
                Files.copy(data.resolve("a").resolve(file), b.resolve(file),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            Node second = TestNode.start(vertx, first.withDataDir(b), Features::all);
            try {
                assertThat(new NodeHttp(second.port()).get("/.well-known/grove/log-key").body())
                        .isEqualTo(new NodeHttp(a.port()).get("/.well-known/grove/log-key").body());
            } finally {
                await(second.stop());
            }
        } finally {
            await(a.stop());
        }
    }
}
