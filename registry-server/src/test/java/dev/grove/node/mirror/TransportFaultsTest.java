package dev.grove.node.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.federation.MemoryTileLog;
import dev.grove.logentry.LogEntries;
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
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One mirror follows seven honest nodes, and something between each of them and the mirror lies in one way, or the
 * node stops answering: a flipped byte in a hash tile or an entry bundle, a corrupted checkpoint signature, an older
 * checkpoint replayed, a tampered blob, no answer, HTTP 500. None of it proves that the node lied, so none is a
 * quarantine: each is a fault shown on the peer with its reason, nothing of it is stored, the package the node published
 * before stays served with its proof in the node's log, and once the path is honest again the mirror recovers by itself
 * and copies what the node published meanwhile.
 */
class TransportFaultsTest {

    static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    static Path data;

    static Vertx vertx;
    static Node mirror;
    static NodeHttp http;
    static final Ed25519PrivateKey publisher = Ed25519PrivateKey.generate();
    static LyingNode tileFlip;
    static LyingNode bundleFlip;
    static LyingNode badSignature;
    static LyingNode replay;
    static LyingNode tampered;
    static LyingNode silent;
    static LyingNode failing;
    /** A peer that sends blob downloads to its object storage, {@link #storage}: another origin. */
    static LyingNode redirecting;
    static LyingNode storage;

    @BeforeAll
    static void start() {
        tileFlip = honest("tileflip");
        bundleFlip = honest("bundleflip");
        badSignature = honest("badsig");
        replay = honest("replay");
        tampered = honest("tampered");
        silent = honest("silent");
        failing = honest("failing");
        redirecting = honest("redirecting");
        storage = new LyingNode("storage");
        storage.blobs.putAll(redirecting.blobs);
        redirecting.blobs.clear();
        redirecting.blobRedirect = storage.url() + "/v1/blobs/";
        vertx = NodeMetrics.createVertx();
        mirror = TestNode.start(vertx, Mirrors.following(data, tileFlip.url(), bundleFlip.url(), badSignature.url(),
                replay.url(), tampered.url(), silent.url(), failing.url(), redirecting.url()), Features::all);
        http = new NodeHttp(mirror.port());
    }

    @AfterAll
    static void stop() {
        for (LyingNode n : new LyingNode[] {tileFlip, bundleFlip, badSignature, replay, tampered, silent, failing,
                redirecting, storage}) {
            n.close();
        }
        TestNode.await(mirror.stop());
        TestNode.await(vertx.close());
    }

    /** A node whose log is the binding of namespace {@code <name>} and {@code <name>/model@1.0.0}. */
    static LyingNode honest(String name) {
        LyingNode node = new LyingNode(name);
        node.publish(pkg(name + "/model", "1.0.0"), publisher);
        return node;
    }

    static TestPackage pkg(String name, String version) {
        return TestPackage.builder(name, version).weights((name + "@" + version + " weights").getBytes(StandardCharsets.UTF_8))
                .build(publisher);
    }

    static String ns(LyingNode node) {
        return node.origin().substring(0, node.origin().indexOf('.'));
    }

    /** Waits until the mirror holds everything the node serves, and serves it with its proof. */
    static void synced(LyingNode node) {
        Mirrors.await("the mirror to copy " + node.url() + "'s log of " + node.size, DEADLINE, () -> Mirrors.findPeer(
                mirror, node.url()).filter(p -> Long.valueOf(node.size).equals(p.getLong("nextEntry"))
                && Long.valueOf(node.size).equals(p.getLong("servedSize"))).isPresent());
        assertProven(node, ns(node) + "/model@1.0.0");
    }

    static void assertProven(LyingNode node, String ref) {
        assertProven(http, node, ref);
    }

    /** The version document carries its log proof: the origin's checkpoint and the inclusion proof in it. */
    static void assertProven(NodeHttp http, LyingNode node, String ref) {
        assertProven(http, node.origin(), ref);
    }

    /** The same for a version of the log {@code origin}. */
    static void assertProven(NodeHttp http, String origin, String ref) {
        NodeHttp.Reply reply = http.get(Mirrors.versionPath(origin, ref));
        assertThat(reply.status()).as(ref).isEqualTo(200);
        JsonObject log = reply.json().getJsonObject("log");
        assertThat(log.getString("checkpoint")).as(ref + " is proven in a checkpoint").startsWith(origin + "\n");
        assertThat(log.getJsonArray("inclusion")).as(ref + " has an inclusion proof").isNotNull();
    }

    /** Waits for the fault and checks what the peer shows: still trusted, the fault with its reason, no evidence. */
    static JsonObject faulted(LyingNode node, String state, String kind) {
        Mirrors.await(node.url() + " to show a " + kind + " fault", DEADLINE, () -> Mirrors.findPeer(mirror, node.url())
                .filter(p -> p.getJsonObject("fault") != null && kind.equals(p.getJsonObject("fault").getString("kind")))
                .isPresent());
        JsonObject peer = Mirrors.peer(mirror, node.url());
        assertThat(peer.getString("status")).isEqualTo("trusted");
        assertThat(peer.getString("state")).isEqualTo(state);
        JsonObject fault = peer.getJsonObject("fault");
        assertThat(fault.getString("reason")).isNotBlank();
        assertThat(fault.getString("since")).isNotNull();
        assertThat(fault.getInteger("attempts")).isPositive();
        assertThat(fault.getString("nextRetry")).isNotNull();
        assertThat(peer.getString("stateReason")).contains(fault.getString("reason"));
        assertThat(evidence(node)).isZero();
        return fault;
    }

    static int evidence(LyingNode node) {
        return http.get("/v1/peers/evidence?peer=" + URLEncoder.encode(node.url(), StandardCharsets.UTF_8)).json()
                .getJsonArray("evidence").size();
    }

    /** Nothing of the lie was stored, and what was verified before is still served with its proof. */
    static void nothingStored(LyingNode node, long next, TestPackage unseen) {
        assertThat(Mirrors.peer(mirror, node.url()).getLong("nextEntry")).isEqualTo(next);
        assertThat(http.get(Mirrors.versionPath(node.origin(), unseen.name() + "@" + unseen.version())).status())
                .isEqualTo(404);
        assertThat(http.get("/v1/digests/" + unseen.digest()).status()).isEqualTo(404);
        assertThat(Mirrors.count(mirror, "SELECT count(*) FROM package_versions WHERE origin = '" + node.origin()
                + "' AND origin_log_index >= " + next)).isZero();
        assertProven(node, ns(node) + "/model@1.0.0");
        String checkpoint = "/v1/origins/" + URLEncoder.encode(node.origin(), StandardCharsets.UTF_8) + "/log/checkpoint";
        assertThat(http.get(checkpoint).body()).isEqualTo(node.log.checkpoint(next));
    }

    /** Once the path is honest again: the peer is followed again and what was published meanwhile is copied, proven. */
    static void recovers(LyingNode node, TestPackage meanwhile) {
        node.honestAgain();
        String ref = meanwhile.name() + "@" + meanwhile.version();
        Mirrors.await("the mirror to recover and copy " + ref, DEADLINE, () -> Mirrors.findPeer(mirror, node.url())
                .filter(p -> "caught-up".equals(p.getString("state")) && Long.valueOf(node.size).equals(p.getLong(
                        "servedSize"))).isPresent());
        assertProven(node, ref);
        JsonObject peer = Mirrors.peer(mirror, node.url());
        assertThat(peer.getString("status")).isEqualTo("trusted");
        assertThat(peer.getValue("fault")).isNull();
        assertThat(peer.getString("lastContact")).isNotNull();
        assertThat(peer.getJsonObject("lastCheckpoint").getLong("size")).isEqualTo(node.size);
        assertThat(evidence(node)).isZero();
    }

    @Test
    void aFlippedByteInAHashTile() {
        synced(tileFlip);
        TestPackage next = pkg(ns(tileFlip) + "/model", "1.1.0");
        MemoryTileLog future = copyWith(tileFlip, next);
        byte[] tile = tileOf(future, TilePath.tile(0, 0, 3));
        tile[40] ^= 1;
        tileFlip.tiles.put("tile/0/000.p/3", tile);
        tileFlip.publish(next, publisher);
        JsonObject fault = faulted(tileFlip, "faulty", "not-in-tree");
        assertThat(fault.getString("reason")).contains("tile/0/000.p/3");
        nothingStored(tileFlip, 2, next);
        recovers(tileFlip, next);
    }

    @Test
    void aFlippedByteInAnEntryBundle() {
        synced(bundleFlip);
        TestPackage next = pkg(ns(bundleFlip) + "/model", "1.1.0");
        MemoryTileLog future = copyWith(bundleFlip, next);
        byte[] bundle = tileOf(future, TilePath.entryBundle(0, 3));
        bundle[bundle.length - 10] ^= 1;
        bundleFlip.tiles.put("tile/entries/000.p/3", bundle);
        bundleFlip.publish(next, publisher);
        JsonObject fault = faulted(bundleFlip, "faulty", "not-in-tree");
        assertThat(fault.getString("reason")).startsWith("entry 2 of tile/entries/000.p/3 has leaf hash");
        nothingStored(bundleFlip, 2, next);
        // a whole other entry in its place, with a level-0 tile to match: the root still tells
        List<byte[]> entries = new ArrayList<>();
        for (long i = 0; i < 2; i++) {
            entries.add(bundleFlip.log.entry(i));
        }
        entries.add(LogEntries.pkg(pkg(ns(bundleFlip) + "/model", "1.1.1").bundle()));
        bundleFlip.tiles.put("tile/entries/000.p/3", EntryBundle.of(entries).toBytes());
        List<byte[]> leaves = new ArrayList<>();
        entries.forEach(e -> leaves.add(dev.grove.tlog.MerkleHash.leafHash(e)));
        bundleFlip.tiles.put("tile/0/000.p/3", dev.grove.tlog.HashTile.of(leaves).toBytes());
        Mirrors.await("the reason to name the root", DEADLINE, () -> Mirrors.peer(mirror, bundleFlip.url())
                .getJsonObject("fault").getString("reason").contains("but the checkpoint of size 3 has root"));
        nothingStored(bundleFlip, 2, next);
        recovers(bundleFlip, next);
    }

    @Test
    void aCorruptedCheckpointSignature() {
        synced(badSignature);
        TestPackage next = pkg(ns(badSignature) + "/model", "1.1.0");
        MemoryTileLog future = copyWith(badSignature, next);
        badSignature.checkpoint = flipSignature(future.checkpoint(3));
        badSignature.publish(next, publisher);
        JsonObject fault = faulted(badSignature, "faulty", "bad-signature");
        assertThat(fault.getString("reason")).contains("does not verify with the pinned key");
        nothingStored(badSignature, 2, next);
        // signed by another key of the same name: the same fault, nothing more
        NoteSigner impostor = NoteSigner.ed25519(badSignature.origin(), Ed25519PrivateKey.generate());
        badSignature.checkpoint = MemoryTileLog.sign(new dev.grove.checkpoint.Checkpoint(badSignature.origin(), 3,
                future.root(3)), impostor);
        Mirrors.await("the reason to name the missing signature", DEADLINE, () -> Mirrors.peer(mirror,
                badSignature.url()).getJsonObject("fault").getString("reason").contains("no signature by key"));
        nothingStored(badSignature, 2, next);
        recovers(badSignature, next);
    }

    @Test
    void anOlderCheckpointReplayed() {
        replay.publish(pkg(ns(replay) + "/model", "1.1.0"), publisher);
        replay.publish(pkg(ns(replay) + "/model", "1.2.0"), publisher);
        synced(replay);
        assertThat(replay.size).isEqualTo(4);
        replay.checkpoint = replay.log.checkpoint(3);
        TestPackage next = pkg(ns(replay) + "/model", "1.3.0");
        replay.publish(next, publisher);
        JsonObject fault = faulted(replay, "faulty", "old-checkpoint");
        assertThat(fault.getString("reason")).isEqualTo("replayed older checkpoint: " + replay.url() + " served the "
                + "checkpoint of size 3, but this node verified size 4");
        nothingStored(replay, 4, next);
        recovers(replay, next);
    }

    @Test
    void aTamperedBlob_leavesNothingOfItsBundleShownWithoutProof() {
        synced(tampered);
        // two versions reach the mirror at once: a good one, then one whose weights are tampered with on the way
        tampered.checkpoint = tampered.log.checkpoint(2);
        TestPackage good = pkg(ns(tampered) + "/model", "1.1.0");
        TestPackage next = pkg(ns(tampered) + "/model", "1.2.0");
        String digest = dev.grove.crypto.Sha256.of(next.weights()).toString();
        tampered.blobs.put(digest, "not the signed weights".getBytes(StandardCharsets.UTF_8));
        tampered.publish(good, publisher);
        tampered.publish(next, publisher);
        tampered.checkpoint = null;
        JsonObject fault = faulted(tampered, "faulty", "tampered-blob");
        assertThat(fault.getString("reason")).contains("artifact 'weights/model.safetensors' of tampered/model@1.2.0")
                .contains(digest);
        // the good version is not stored either: it would be shown without a proof until the bad one is fixed
        nothingStored(tampered, 2, next);
        nothingStored(tampered, 2, good);
        assertThat(http.get("/v1/blobs/" + digest).status()).isEqualTo(404);
        tampered.blobs.put(digest, next.weights());
        recovers(tampered, next);
        assertProven(tampered, ns(tampered) + "/model@1.1.0");
        assertThat(http.get("/v1/blobs/" + digest).body()).isEqualTo(new String(next.weights(), StandardCharsets.UTF_8));
    }

    @Test
    void aPeerThatSendsItsBlobsToObjectStorage_isFollowedThere() {
        synced(redirecting); // its 1.0.0 is proven: the weights came from the storage, the peer has none itself
        String digest = dev.grove.crypto.Sha256.of(pkg(ns(redirecting) + "/model", "1.0.0").weights()).toString();
        assertThat(redirecting.blobs).isEmpty();
        assertThat(http.get("/v1/blobs/" + digest).body()).isEqualTo(ns(redirecting) + "/model@1.0.0 weights");

        // the bytes are checked wherever they come from
        TestPackage next = pkg(ns(redirecting) + "/model", "1.1.0");
        String nextDigest = dev.grove.crypto.Sha256.of(next.weights()).toString();
        storage.blobs.put(nextDigest, "not the signed weights".getBytes(StandardCharsets.UTF_8));
        redirecting.publish(next, publisher);
        redirecting.blobs.clear();
        faulted(redirecting, "faulty", "tampered-blob");
        nothingStored(redirecting, 2, next);
        storage.blobs.put(nextDigest, next.weights());
        recovers(redirecting, next);
    }

    @Test
    void aPeerThatStopsAnswering() {
        synced(silent);
        silent.silent = true;
        TestPackage next = pkg(ns(silent) + "/model", "1.1.0");
        silent.publish(next, publisher);
        JsonObject fault = faulted(silent, "unreachable", "unreachable");
        assertThat(fault.getString("reason")).contains("cannot reach " + silent.url());
        assertThat(Mirrors.peer(mirror, silent.url()).getString("stateReason"))
                .startsWith("unreachable since " + fault.getString("since"));
        nothingStored(silent, 2, next);
        recovers(silent, next);
    }

    @Test
    void aPeerThatAnswers500() {
        synced(failing);
        failing.failWith = 500;
        TestPackage next = pkg(ns(failing) + "/model", "1.1.0");
        failing.publish(next, publisher);
        JsonObject fault = faulted(failing, "unreachable", "http-error");
        assertThat(fault.getString("reason")).isEqualTo(failing.url() + "/log/checkpoint answered 500");
        nothingStored(failing, 2, next);
        String metrics = http.get("/metrics").body();
        assertThat(metrics).contains("grove_mirror_faults_total{kind=\"http-error\",peer=\"" + failing.url() + "\"}");
        recovers(failing, next);
        assertThat(http.get("/metrics").body()).contains("grove_mirror_state{peer=\"" + failing.url()
                + "\",state=\"caught-up\"} 1.0");
    }

    /** The node's log as it will be once {@code next} is published (to prepare a lie about it before it is served). */
    static MemoryTileLog copyWith(LyingNode node, TestPackage next) {
        MemoryTileLog copy = new MemoryTileLog(node.key);
        for (long i = 0; i < node.log.size(); i++) {
            copy.append(node.log.entry(i));
        }
        copy.append(LogEntries.pkg(next.bundle()));
        return copy;
    }

    static byte[] tileOf(MemoryTileLog log, TilePath path) {
        try {
            return log.tile(path, log.size());
        } catch (dev.grove.tlog.ProofException e) {
            throw new AssertionError(e);
        }
    }

    /** The note with one byte of its signature changed. */
    static String flipSignature(String note) {
        int dash = note.lastIndexOf("— ");
        int space = note.indexOf(' ', dash + 2);
        byte[] sig = Base64.getDecoder().decode(note.substring(space + 1, note.length() - 1));
        sig[10] ^= 1;
        return note.substring(0, space + 1) + Base64.getEncoder().encodeToString(sig) + "\n";
    }
}
