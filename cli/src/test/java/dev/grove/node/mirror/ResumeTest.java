package dev.grove.node.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.node.Features;
import dev.grove.node.Node;
import dev.grove.node.NodeConfig;
import dev.grove.node.health.NodeMetrics;
import dev.grove.node.testing.TestNode;
import dev.grove.node.testing.TestPackage;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mirror stopped in the middle of copying 600 packages and started again on the same database resumes at the first
 * entry it had not stored: every package exactly once, no gaps, the same digests as the origin. The origin is an honest
 * static log served by {@link LyingNode} (600 publishes through a real node's HTTP API take most of a minute on two
 * cores; {@link FederationTest} covers following real nodes). The mirror's copy of the origin's log (tiles written with
 * the entries they cover) comes out the same as the origin's.
 */
class ResumeTest {

    static final int PACKAGES = 600;

    @TempDir
    static Path dataB;

    static Vertx vertx;
    static LyingNode a;
    static Node b;
    static final TreeSet<String> published = new TreeSet<>();

    @BeforeAll
    static void start() {
        vertx = NodeMetrics.createVertx();
        a = new LyingNode("origin");
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        for (int i = 0; i < PACKAGES; i++) {
            TestPackage pkg = TestPackage.builder("bulk/model-" + i, "1.0.0")
                    .weights(("weights " + i).getBytes(StandardCharsets.UTF_8)).build(key);
            a.publish(pkg, key);
            published.add(pkg.digest().toString());
        }
    }

    @AfterAll
    static void stop() {
        a.close();
        if (b != null) {
            TestNode.await(b.stop());
        }
        TestNode.await(vertx.close());
    }

    static TreeSet<String> digests(Node node, String sql) {
        TreeSet<String> out = new TreeSet<>();
        for (Row r : TestNode.await(node.pool().query(sql).execute())) {
            out.add(r.getString(0));
        }
        return out;
    }

    @Test
    void restartedMidSync_resumesWithoutDuplicatesOrGaps() throws Exception {
        String origin = a.origin();
        long size = PACKAGES + 1; // the namespace binding, then one entry per package
        assertThat(a.size).isEqualTo(size);

        a.blobDelayMillis = 20; // about 200 entries a second: stopped well before the end
        b = TestNode.start(vertx, Mirrors.following(dataB, a.url()), Features::all);
        NodeConfig resolved = b.config();
        Mirrors.await("B to copy some entries", Duration.ofSeconds(30), () -> Mirrors.nextEntry(b, a.url()) >= 50);
        TestNode.await(b.stop());
        b = null;

        // stopped mid-sync: what is stored is exactly the prefix next_entry names
        Node stopped = TestNode.start(vertx, resolved.withPeers(List.of()), Features::all);
        long next;
        long stored;
        try {
            next = Mirrors.count(stopped, "SELECT next_entry FROM mirrored_logs");
            stored = Mirrors.count(stopped, "SELECT count(*) FROM package_versions WHERE origin = '" + origin + "'");
        } finally {
            TestNode.await(stopped.stop());
        }
        assertThat(next).isBetween(50L, size - 1);
        assertThat(stored).isEqualTo(next - 1); // entry 0 binds the namespace

        a.blobDelayMillis = 0;
        b = TestNode.start(vertx, resolved, Features::all);
        Mirrors.await("B to finish after the restart", Duration.ofSeconds(60), () -> Mirrors.nextEntry(b, a.url()) == size);

        assertThat(Mirrors.count(b, "SELECT count(*) FROM package_versions WHERE origin = '" + origin + "'"))
                .isEqualTo(PACKAGES);
        assertThat(Mirrors.count(b, "SELECT count(DISTINCT digest) FROM package_versions WHERE origin = '" + origin + "'"))
                .isEqualTo(PACKAGES);
        assertThat(Mirrors.count(b, "SELECT count(*) FROM keyset_changes WHERE origin = '" + origin + "'")).isEqualTo(1);
        assertThat(digests(b, "SELECT digest FROM package_versions WHERE origin = '" + origin + "'")).isEqualTo(published);
        assertThat(Mirrors.count(b, "SELECT count(*) FROM version_artifacts a JOIN package_versions v ON v.id = a.version_id"
                + " WHERE v.origin = '" + origin + "'")).isEqualTo(PACKAGES);
        assertThat(Mirrors.peer(b, a.url()).getString("status")).isEqualTo("trusted");

        // the origin's log, kept across the restart: its checkpoint and tiles byte for byte, no narrower partial tile left
        String mirrored = "/v1/origins/" + java.net.URLEncoder.encode(origin, StandardCharsets.UTF_8) + "/log/";
        assertThat(new String(MirrorLogTest.get(b.port(), mirrored + "checkpoint").body(), StandardCharsets.UTF_8))
                .isEqualTo(a.log.checkpoint(size));
        List<dev.grove.tlog.TilePath> tiles = MirrorLogTest.tiles(size);
        for (dev.grove.tlog.TilePath p : tiles) {
            assertThat(MirrorLogTest.get(b.port(), mirrored + p).body()).as(p.toString()).isEqualTo(a.log.tile(p, size));
        }
        assertThat(Mirrors.count(b, "SELECT count(*) FROM mirror_tiles WHERE origin = '" + origin + "'"))
                .isEqualTo(tiles.size());
    }
}
