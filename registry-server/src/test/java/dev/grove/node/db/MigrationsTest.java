package dev.grove.node.db;

import static dev.grove.node.testing.TestNode.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.node.testing.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class MigrationsTest {

    private Vertx vertx;
    private PgConnectOptions db;
    private final List<Pool> pools = new ArrayList<>();

    @BeforeEach
    void freshDatabase(Vertx vertx) {
        this.vertx = vertx;
        this.db = TestDatabase.fresh();
    }

    @AfterEach
    void closePools() {
        pools.forEach(p -> await(p.close()));
    }

    private Pool pool() {
        Pool pool = PgBuilder.pool().connectingTo(db).using(vertx).build();
        pools.add(pool);
        return pool;
    }

    private List<String> strings(Pool pool, String sql) {
        List<String> out = new ArrayList<>();
        for (Row row : await(pool.query(sql).execute())) {
            out.add(String.valueOf(row.getValue(0)));
        }
        return out;
    }

    @Test
    void appliesInOrderOnceAndIsIdempotentOnRestart() {
        Pool pool = pool();
        assertThat(await(Migrations.load("db/test-migration").apply(pool)))
                .containsExactly("V001__widgets.sql", "V002__gadgets.sql");
        // a second start (a new load, a new pool) finds nothing to do
        assertThat(await(Migrations.load("db/test-migration").apply(pool()))).isEmpty();

        assertThat(strings(pool, "SELECT name FROM widgets")).containsExactly("first");
        assertThat(strings(pool, "SELECT version || ' ' || name || ' ' || checksum FROM schema_migrations ORDER BY version"))
                .containsExactly(
                        "1 V001__widgets.sql " + Migrations.load("db/test-migration").list().get(0).checksum(),
                        "2 V002__gadgets.sql " + Migrations.load("db/test-migration").list().get(1).checksum());
        assertThat(Migrations.load("db/test-migration").list().get(0).checksum()).matches("sha256:[0-9a-f]{64}");
    }

    @Test
    void refusesWhenAnAppliedScriptChanged() {
        await(Migrations.load("db/test-migration").apply(pool()));

        assertThatThrownBy(() -> await(Migrations.load("db/test-migration-changed").apply(pool())))
                .isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("migration V001__widgets.sql was changed after it was applied to this database")
                .hasMessageContaining("never edit an applied migration");
    }

    @Test
    void refusesAnAppliedScriptThisBuildDoesNotKnow() {
        await(Migrations.load("db/test-migration").apply(pool()));

        assertThatThrownBy(() -> await(Migrations.load("db/test-migration-older").apply(pool())))
                .isInstanceOf(MigrationException.class)
                .hasMessage("the database has migration V002__gadgets.sql applied, which this build does not know: was it"
                        + " started by a newer version of the node?");
    }

    @Test
    void aFailingScriptIsRolledBackAndRecordedNothing() {
        Pool pool = pool();
        assertThatThrownBy(() -> await(Migrations.load("db/test-migration-broken").apply(pool)))
                .isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("migration V002__broken.sql failed: ")
                .hasMessageContaining("no_such_column");

        assertThat(strings(pool, "SELECT name FROM schema_migrations")).containsExactly("V001__widgets.sql");
        assertThat(strings(pool, "SELECT count(*) FROM pg_tables WHERE tablename = 'half_done'")).containsExactly("0");
    }

    @Test
    void concurrentStartsApplyEachScriptExactlyOnce() {
        List<Future<List<String>>> starts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            starts.add(Migrations.load("db/test-migration").apply(pool()));
        }
        await(Future.all(starts));

        List<String> applied = new ArrayList<>();
        starts.forEach(f -> applied.addAll(f.result()));
        assertThat(applied).containsExactlyInAnyOrder("V001__widgets.sql", "V002__gadgets.sql");
        assertThat(strings(pool(), "SELECT count(*) FROM widgets")).containsExactly("1");
    }

    @Test
    void theNodesOwnMigrationsLoad() {
        assertThat(Migrations.load(Migrations.NODE_DIRECTORY).list()).isNotEmpty()
                .allSatisfy(m -> assertThat(m.name()).matches("V\\d+__\\w+\\.sql"));
    }

    @Test
    void badIndexesAreRefusedWithTheirReason() {
        assertThatThrownBy(() -> Migrations.load("db/no-such-dir"))
                .isInstanceOf(MigrationException.class)
                .hasMessage("no migration index db/no-such-dir/index.txt on the classpath");
        assertThatThrownBy(() -> Migrations.load("db/bad-index-order"))
                .isInstanceOf(MigrationException.class)
                .hasMessage("db/bad-index-order/index.txt lists V001__a.sql after version 2: versions must strictly increase");
        assertThatThrownBy(() -> Migrations.load("db/bad-index-missing"))
                .isInstanceOf(MigrationException.class)
                .hasMessage("db/bad-index-missing/index.txt lists V001__gone.sql, but there is no such file on the classpath");
        assertThatThrownBy(() -> Migrations.load("db/bad-index-name"))
                .isInstanceOf(MigrationException.class)
                .hasMessage("migration file name 'create_things.sql' does not look like V<number>__<description>.sql");
    }
}
