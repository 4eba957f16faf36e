package dev.grove.node.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.logentry.LogEntries;
import dev.grove.federation.MemoryTileLog;
import dev.grove.node.Features;
import dev.grove.node.Node;
import dev.grove.node.health.NodeMetrics;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.TestNode;
import dev.grove.node.testing.TestPackage;
import dev.grove.note.NoteSigner;
import dev.grove.tlog.EntryBundle;
import dev.grove.tlog.TilePath;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One mirror follows seven lying nodes. Each first serves an honest log (a namespace binding and one package) that the
 * mirror accepts, then lies in one way. Each lie is detected, the liar quarantined with the evidence stored (both signed
 * checkpoints where two conflict), nothing more is accepted from it, and the honest package stays served.
 */
class HostilePeersTest {

    static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    static Path data;

    static Vertx vertx;
    static Node mirror;
    static NodeHttp http;
    static final Ed25519PrivateKey publisher = Ed25519PrivateKey.generate();
    static LyingNode fork;
    static LyingNode inconsistent;
    static LyingNode rollback;
    static LyingNode forged;
    static LyingNode tampered;
    static LyingNode badSignature;
    static LyingNode notInTree;

    @BeforeAll
    static void start() {
        fork = honest("fork");
        inconsistent = honest("inconsistent");
        rollback = honest("rollback");
        forged = honest("forged");
        tampered = honest("tampered");
        badSignature = honest("badsig");
        notInTree = honest("notintree");
        vertx = NodeMetrics.createVertx();
        mirror = TestNode.start(vertx, Mirrors.following(data, fork.url(), inconsistent.url(), rollback.url(),
                forged.url(), tampered.url(), badSignature.url(), notInTree.url()), Features::all);
        http = new NodeHttp(mirror.port());
    }

    @AfterAll
    static void stop() {
        for (LyingNode n : new LyingNode[] {fork, inconsistent, rollback, forged, tampered, badSignature, notInTree}) {
            n.close();
        }
        TestNode.await(mirror.stop());
        TestNode.await(vertx.close());
    }

    /** A lying node whose log so far is honest: the binding of namespace {@code <name>} and {@code <name>/model@1.0.0}. */
    static LyingNode honest(String name) {
        LyingNode node = new LyingNode(name);
        node.publish(pkg(name + "/model", "1.0.0"), publisher);
        return node;
    }

    static TestPackage pkg(String name, String version) {
        return TestPackage.builder(name, version).weights((name + "@" + version + " weights").getBytes(StandardCharsets.UTF_8))
                .build(publisher);
    }

    /** Waits until the mirror accepted everything the liar served honestly. */
    static void synced(LyingNode liar) {
        Mirrors.await("the mirror to accept " + liar.url() + "'s honest log of " + liar.size, DEADLINE, () -> {
            return Mirrors.findPeer(mirror, liar.url()).filter(p -> Long.valueOf(liar.size).equals(p.getLong("treeSize"))
                    && Long.valueOf(liar.size).equals(p.getLong("nextEntry"))).isPresent();
        });
        assertThat(honestPackage(liar)).isEqualTo(200);
    }

    static int honestPackage(LyingNode liar) {
        String ns = liar.origin().substring(0, liar.origin().indexOf('.'));
        return http.get(Mirrors.versionPath(liar.origin(), ns + "/model@1.0.0")).status();
    }

    /** Waits for the quarantine and returns the one piece of evidence stored against the liar. */
    static JsonObject quarantined(LyingNode liar, String kind) {
        Mirrors.await(liar.url() + " to be quarantined", DEADLINE,
                () -> Mirrors.findPeer(mirror, liar.url()).filter(p -> "quarantined".equals(p.getString("status"))).isPresent());
        JsonObject peer = Mirrors.peer(mirror, liar.url());
        assertThat(peer.getString("reason")).startsWith(kind + ": ");
        JsonArray evidence = http.get("/v1/peers/evidence?peer=" + java.net.URLEncoder.encode(liar.url(),
                StandardCharsets.UTF_8)).json().getJsonArray("evidence");
        assertThat(evidence.size()).isEqualTo(1);
        JsonObject e = evidence.getJsonObject(0);
        assertThat(e.getString("kind")).isEqualTo(kind);
        assertThat(e.getString("origin")).isEqualTo(liar.origin());
        // honest data untouched
        assertThat(honestPackage(liar)).isEqualTo(200);
        assertThat(Mirrors.count(mirror, "SELECT count(*) FROM package_versions WHERE origin = '" + liar.origin() + "'"))
                .isEqualTo(1);
        return e;
    }

    static List<String> statements(JsonObject evidence) {
        List<String> out = new ArrayList<>();
        evidence.getJsonArray("statements").forEach(s -> out.add((String) s));
        return out;
    }

    /** After quarantine nothing more is taken: a valid new package stays unmirrored over several check intervals. */
    static void acceptsNothingMore(LyingNode liar) throws InterruptedException {
        long next = Mirrors.peer(mirror, liar.url()).getLong("nextEntry");
        String ns = liar.origin().substring(0, liar.origin().indexOf('.'));
        liar.checkpoint = null;
        liar.consistency = null;
        liar.tiles.clear();
        liar.publish(pkg(ns + "/later", "1.0.0"), publisher);
        Thread.sleep(10 * Mirrors.FAST.toMillis());
        assertThat(Mirrors.peer(mirror, liar.url()).getLong("nextEntry")).isEqualTo(next);
        assertThat(http.get(Mirrors.versionPath(liar.origin(), ns + "/later@1.0.0")).status()).isEqualTo(404);
    }

    @Test
    void fork_twoCheckpointsOfTheSameSize() throws Exception {
        synced(fork);
        String honest = fork.log.checkpoint(fork.size);
        MemoryTileLog other = new MemoryTileLog(fork.key);
        other.append(fork.log.entry(0));
        other.append("another history".getBytes(StandardCharsets.UTF_8));
        String lie = fork.signed(fork.size, other.root(2));
        fork.checkpoint = lie;
        JsonObject e = quarantined(fork, "fork");
        assertThat(e.getString("detail")).startsWith("two checkpoints of size 2 with different roots");
        assertThat(statements(e)).containsExactly(honest, lie);
        acceptsNothingMore(fork);
    }

    @Test
    void fork_growthThatIsNotConsistent() throws Exception {
        synced(inconsistent);
        String honest = inconsistent.log.checkpoint(inconsistent.size);
        MemoryTileLog other = new MemoryTileLog(inconsistent.key);
        other.append(inconsistent.log.entry(0));
        other.append("rewritten entry 1".getBytes(StandardCharsets.UTF_8));
        other.append("entry 2".getBytes(StandardCharsets.UTF_8));
        String lie = other.checkpoint(3);
        inconsistent.consistency = other.consistency(2, 3);
        inconsistent.checkpoint = lie;
        JsonObject e = quarantined(inconsistent, "fork");
        assertThat(e.getString("detail")).startsWith("checkpoint of size 3 is not consistent with the verified "
                + "checkpoint of size 2");
        assertThat(statements(e)).hasSize(3);
        assertThat(statements(e).subList(0, 2)).containsExactly(honest, lie);
        assertThat(statements(e).get(2)).startsWith("consistency 2 3\n");
    }

    @Test
    void rollback_toASmallerTree() throws Exception {
        synced(rollback);
        String honest = rollback.log.checkpoint(rollback.size);
        String older = rollback.log.checkpoint(1);
        rollback.checkpoint = older;
        JsonObject e = quarantined(rollback, "rollback");
        assertThat(e.getString("detail")).isEqualTo("tree size went back from 2 to 1: a log only grows");
        assertThat(statements(e)).containsExactly(honest, older);
        acceptsNothingMore(rollback);
    }

    @Test
    void forgedPackage_signedByAKeyOutsideTheNamespaceKeyset() throws Exception {
        synced(forged);
        Ed25519PrivateKey intruder = Ed25519PrivateKey.generate();
        TestPackage evil = TestPackage.builder("forged/model", "1.0.1").build(intruder);
        forged.log.append(LogEntries.pkg(evil.bundle()));
        forged.blobs.put(evil.digest().toString(), evil.weights());
        forged.size = forged.log.size();
        JsonObject e = quarantined(forged, "forged-package");
        assertThat(e.getString("detail")).startsWith("entry 2: forged/model@1.0.1 does not verify against the keyset "
                + "of namespace 'forged' (sequence 1): contract: no signature by a trusted key");
        assertThat(statements(e)).hasSize(2);
        assertThat(statements(e).get(0)).isEqualTo(forged.log.checkpoint(3));
        assertThat(statements(e).get(1)).startsWith("entry 2\n");
        assertThat(http.get("/v1/digests/" + evil.digest()).status()).isEqualTo(404);
    }

    @Test
    void tamperedBlob_bytesThatDoNotMatchTheSignedDigest() throws Exception {
        synced(tampered);
        TestPackage next = pkg("tampered/model", "1.1.0");
        String digest = dev.grove.crypto.Sha256.of(next.weights()).toString();
        tampered.blobs.put(digest, "not the signed weights".getBytes(StandardCharsets.UTF_8));
        tampered.publish(next, publisher);
        JsonObject e = quarantined(tampered, "tampered-blob");
        assertThat(e.getString("detail")).contains("artifact 'weights/model.safetensors' of tampered/model@1.1.0")
                .contains(digest);
        assertThat(http.get("/v1/blobs/" + digest).status()).isEqualTo(404);
        assertThat(http.get("/v1/digests/" + next.digest()).status()).isEqualTo(404);
    }

    @Test
    void badCheckpointSignature_byAnotherKeyOfTheSameName() throws Exception {
        synced(badSignature);
        NoteSigner impostor = NoteSigner.ed25519(badSignature.origin(), Ed25519PrivateKey.generate());
        String lie = MemoryTileLog.sign(new dev.grove.checkpoint.Checkpoint(badSignature.origin(), 2,
                badSignature.log.root(2)), impostor);
        badSignature.checkpoint = lie;
        JsonObject e = quarantined(badSignature, "bad-signature");
        assertThat(e.getString("detail")).contains("no signature by key " + badSignature.origin());
        assertThat(statements(e)).containsExactly(lie);
        acceptsNothingMore(badSignature);
    }

    @Test
    void entryNotInTheTree_aBundleWhoseEntryIsNotTheLeaf() throws Exception {
        synced(notInTree);
        notInTree.publish(pkg("notintree/model", "1.2.0"), publisher);
        long size = notInTree.size;
        List<byte[]> entries = new ArrayList<>();
        for (long i = 0; i < size; i++) {
            entries.add(notInTree.log.entry(i));
        }
        TestPackage swapped = pkg("notintree/model", "1.2.1");
        entries.set((int) size - 1, LogEntries.pkg(swapped.bundle()));
        notInTree.tiles.put(TilePath.entryBundle(0, (int) size).toString(), EntryBundle.of(entries).toBytes());
        JsonObject e = quarantined(notInTree, "entry-not-in-tree");
        assertThat(e.getString("detail")).startsWith("entry 2 has leaf hash");
        assertThat(statements(e).get(0)).isEqualTo(notInTree.log.checkpoint(size));
        assertThat(http.get("/v1/digests/" + swapped.digest()).status()).isEqualTo(404);
    }
}
