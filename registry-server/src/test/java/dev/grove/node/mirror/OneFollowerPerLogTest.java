package dev.grove.node.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.node.Features;
import dev.grove.node.Node;
import dev.grove.node.NodeConfig;
import dev.grove.node.health.NodeMetrics;
import dev.grove.node.log.LogKeyFile;
import dev.grove.node.reports.IssuerKeyFile;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.TestDatabase;
import dev.grove.node.testing.TestNode;
import dev.grove.node.testing.TestPackage;
import dev.grove.node.witness.WitnessKeyFile;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes of one node on one database (each its own Vert.x, registry and lock connection) configured to follow
 * the same log: one follows it, the other stands by (records no fault of it, copies nothing), and takes over when the
 * first stops, or when the first loses its lock connection.
 */
class OneFollowerPerLogTest {

    static final Duration DEADLINE = Duration.ofSeconds(60);
    static final Ed25519PrivateKey alice = Ed25519PrivateKey.generate();

    @TempDir
    Path dataA;
    @TempDir
    Path dataB;

    LyingNode source;
    Vertx vertxA;
    Vertx vertxB;
    Node a;
    Node b;

    @AfterEach
    void stop() {
        for (Node node : new Node[] {a, b}) {
            if (node != null) {
                TestNode.await(node.stop());
            }
        }
        for (Vertx vertx : new Vertx[] {vertxA, vertxB}) {
            if (vertx != null) {
                TestNode.await(vertx.close());
            }
        }
        source.close();
    }

    void startBoth() throws IOException {
        source = new LyingNode("followed");
        publish(1, 40);
        String db = TestDatabase.freshUrl();
        String peer = source.url() + "#" + source.key.verifier();
        vertxA = NodeMetrics.createVertx();
        vertxB = NodeMetrics.createVertx();
        a = TestNode.start(vertxA, config(dataA, db, peer), Features::all);
        Mirrors.await("the first process to follow the log", DEADLINE, () -> followedHere(a));
        // processes of one node hold the same secret files (the node checks it at start)
        for (String secret : List.of(LogKeyFile.FILE_NAME, IssuerKeyFile.FILE_NAME, WitnessKeyFile.FILE_NAME)) {
            Files.copy(dataA.resolve(secret), dataB.resolve(secret));
        }
        b = TestNode.start(vertxB, config(dataB, db, peer), Features::all);
    }

    static NodeConfig config(Path data, String db, String peer) {
        return Mirrors.following(data, peer).withPgUrl(db);
    }

    void publish(int from, int to) {
        for (int i = from; i <= to; i++) {
            source.publish(TestPackage.builder("followed/model-" + i, "1.0.0")
                    .weights(("model " + i).getBytes(StandardCharsets.UTF_8)).build(alice), alice);
        }
    }

    boolean followedHere(Node node) {
        return Mirrors.peer(node, source.url()).getBoolean("followedHere");
    }

    String metrics(Node node) {
        return new NodeHttp(node.port()).get("/metrics").body();
    }

    /** {@code grove_mirror_following} of the source's log in that process. */
    double following(Node node) {
        return gauge(metrics(node), "grove_mirror_following{origin=\"" + source.origin() + "\"}");
    }

    /** Entries this process accepted from the source ({@code grove_mirror_entries_total}). */
    double entries(Node node) {
        return gauge(metrics(node), "grove_mirror_entries_total{peer=\"" + source.url() + "\"}");
    }

    static double gauge(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    long nextEntry() {
        return Mirrors.nextEntry(a != null ? a : b, source.url());
    }

    @Test
    void oneProcessFollows_theOtherStandsByAndTakesOverWhenItStops() throws IOException {
        startBoth();
        Mirrors.await("the log to be copied", DEADLINE, () -> Mirrors.nextEntry(a, source.url()) == source.size);
        // b tries the lock every 100 ms meanwhile
        source.failWith = 503;
        Mirrors.await("a to record a fault", DEADLINE, () -> metrics(a).contains("grove_mirror_faults_total{"));
        source.failWith = 0;
        Mirrors.await("a to follow again", DEADLINE, () -> Mirrors.peer(a, source.url()).getValue("fault") == null);

        assertThat(followedHere(a)).isTrue();
        assertThat(followedHere(b)).isFalse();
        assertThat(following(a)).isEqualTo(1.0);
        assertThat(following(b)).isEqualTo(0.0);
        // copied once: every entry accepted by a, none by b, and stored once
        assertThat(entries(a)).isEqualTo((double) source.size);
        assertThat(entries(b)).isZero();
        assertThat(metrics(b)).doesNotContain("grove_mirror_faults_total{");
        assertThat(Mirrors.count(a, "SELECT count(*) FROM package_versions WHERE origin = '" + source.origin() + "'"))
                .isEqualTo(40);

        TestNode.await(a.stop());
        TestNode.await(vertxA.close());
        a = null;
        vertxA = null;
        publish(41, 50);
        Mirrors.await("b to take over and copy the new entries", DEADLINE,
                () -> Mirrors.nextEntry(b, source.url()) == source.size);
        assertThat(followedHere(b)).isTrue();
        assertThat(following(b)).isEqualTo(1.0);
        assertThat(entries(b)).isEqualTo(10.0);
        assertThat(Mirrors.count(b, "SELECT count(*) FROM package_versions WHERE origin = '" + source.origin() + "'"))
                .isEqualTo(50);
    }

    @Test
    void aProcessThatLosesItsLockConnection_stopsFollowing_andOneProcessFollowsAfterwards() throws IOException {
        startBoth();
        Mirrors.await("the log to be copied", DEADLINE, () -> Mirrors.nextEntry(a, source.url()) == source.size);
        long terminated = Mirrors.count(a, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                + "WHERE application_name = '" + FollowLocks.APPLICATION_NAME + "' AND datname = current_database() "
                + "AND pid IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted)");
        assertThat(terminated).isEqualTo(1);
        publish(41, 50);
        Mirrors.await("one process to follow the log again and copy the new entries", DEADLINE,
                () -> nextEntry() == source.size && (followedHere(a) != followedHere(b)));
        assertThat(following(a) + following(b)).isEqualTo(1.0);
        assertThat(entries(a) + entries(b)).isEqualTo((double) source.size);
    }
}
