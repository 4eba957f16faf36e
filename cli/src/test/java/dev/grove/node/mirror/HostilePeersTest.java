package dev.grove.node.mirror;

import static dev.grove.node.mirror.TransportFaultsTest.honest;
import static dev.grove.node.mirror.TransportFaultsTest.ns;
import static dev.grove.node.mirror.TransportFaultsTest.pkg;
import static dev.grove.node.mirror.TransportFaultsTest.publisher;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.federation.Evidence;
import dev.grove.federation.EvidenceCheck;
import dev.grove.federation.EvidenceException;
import dev.grove.federation.MemoryTileLog;
import dev.grove.json.Json;
import dev.grove.logentry.LogEntries;
import dev.grove.node.Features;
import dev.grove.node.Node;
import dev.grove.node.health.NodeMetrics;
import dev.grove.node.testing.Eventually;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.TestNode;
import dev.grove.node.testing.TestPackage;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
 * One mirror follows five lying nodes. Each first serves an honest log (a namespace binding and one package) that the
 * mirror accepts, then signs something that cannot be true: two checkpoints of the same size with different roots, a
 * larger tree that does not extend the verified one, an older checkpoint of another history, a package in its tree that
 * its namespace's keyset did not sign. Each is quarantined with {@code grove.evidence/v1} evidence that the offline
 * checker (and {@code grove peers verify-evidence}) accepts with the liar's log key alone, and refuses once a byte of
 * it is changed; nothing more is accepted from it, and the honest package stays served with its proof. The fifth signs
 * a forged package 262 entries after its namespace's keyset: evidence too large to carry, so a fault, not a ban.
 */
class HostilePeersTest {

    static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    static Path data;
    @TempDir
    static Path work;

    static Vertx vertx;
    static Node mirror;
    static NodeHttp http;
    static LyingNode fork;
    static LyingNode inconsistent;
    static LyingNode olderFork;
    static LyingNode forged;
    static LyingNode large;

    @BeforeAll
    static void start() {
        fork = honest("fork");
        inconsistent = honest("inconsistent");
        olderFork = honest("olderfork");
        forged = honest("forged");
        large = honest("large");
        for (int i = 0; i < 260; i++) {
            large.publish(pkg("large/model-" + i, "1.0.0"), publisher);
        }
        vertx = NodeMetrics.createVertx();
        mirror = TestNode.start(vertx, Mirrors.following(data, fork.url(), inconsistent.url(), olderFork.url(),
                forged.url(), large.url()), Features::all);
        http = new NodeHttp(mirror.port());
    }

    @AfterAll
    static void stop() {
        for (LyingNode n : new LyingNode[] {fork, inconsistent, olderFork, forged, large}) {
            n.close();
        }
        TestNode.await(mirror.stop());
        TestNode.await(vertx.close());
    }

    /** Waits until the mirror accepted and serves everything the liar served honestly. */
    static void synced(LyingNode liar) {
        Mirrors.await("the mirror to accept " + liar.url() + "'s honest log of " + liar.size, DEADLINE, () ->
                Mirrors.findPeer(mirror, liar.url()).filter(p -> Long.valueOf(liar.size).equals(p.getLong("treeSize"))
                        && Long.valueOf(liar.size).equals(p.getLong("servedSize"))).isPresent());
        TransportFaultsTest.assertProven(http, liar, ns(liar) + "/model@1.0.0");
    }

    /** Waits for the quarantine and returns the one piece of evidence stored against the liar, checked offline. */
    static Evidence quarantined(LyingNode liar, Evidence.Kind kind) throws EvidenceException {
        return quarantined(liar, kind, 1);
    }

    static Evidence quarantined(LyingNode liar, Evidence.Kind kind, int versions) throws EvidenceException {
        Mirrors.await(liar.url() + " to be quarantined", DEADLINE,
                () -> Mirrors.findPeer(mirror, liar.url()).filter(p -> "quarantined".equals(p.getString("status"))).isPresent());
        JsonObject peer = Mirrors.peer(mirror, liar.url());
        assertThat(peer.getString("reason")).startsWith(kind.wireName() + ": ");
        assertThat(peer.getString("state")).isEqualTo("quarantined");
        JsonArray all = http.get("/v1/peers/evidence?peer=" + java.net.URLEncoder.encode(liar.url(),
                StandardCharsets.UTF_8)).json().getJsonArray("evidence");
        assertThat(all.size()).isEqualTo(1);
        JsonObject served = all.getJsonObject(0);
        assertThat(served.getString("format")).isEqualTo(Evidence.FORMAT);
        assertThat(served.getString("peer")).isEqualTo(liar.url());
        Evidence e = Evidence.parse(Json.parseObject(served.encode()));
        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.origin()).isEqualTo(liar.origin());
        assertThat(e.logKey()).isEqualTo(liar.key.verifier().toString());
        // the checker needs nothing but the key
        EvidenceCheck.Proven proven = EvidenceCheck.check(e, liar.key.verifier());
        assertThat(proven.statement()).startsWith("the holder of log key " + liar.key.verifier() + " ");
        // and so does grove peers verify-evidence, on the whole answer or on the one record
        String answer = http.get("/v1/peers/evidence?peer=" + java.net.URLEncoder.encode(liar.url(),
                StandardCharsets.UTF_8)).body();
        FederationTest.Cli whole = verifyEvidence(answer, "--log-key", liar.key.verifier().toString());
        assertThat(whole.exit()).as(whole.toString()).isZero();
        assertThat(whole.out()).contains(": proven (" + kind.wireName() + ", log " + liar.origin() + ")")
                .contains(proven.statement()).contains("proves only that the holder of that key misbehaved");
        FederationTest.Cli one = verifyEvidence(served.encode());
        assertThat(one.exit()).as(one.toString()).isZero();
        assertThat(one.out()).contains("give --log-key with the key you know for " + liar.origin());
        FederationTest.Cli otherKey = verifyEvidence(served.encode(), "--log-key",
                dev.grove.note.NoteSigner.ed25519(liar.origin(), Ed25519PrivateKey.generate()).verifier().toString());
        assertThat(otherKey.exit()).as(otherKey.toString()).isEqualTo(1);
        assertThat(otherKey.err()).contains("does not verify");
        // honest data untouched, still proven
        TransportFaultsTest.assertProven(http, liar, ns(liar) + "/model@1.0.0");
        assertThat(Mirrors.count(mirror, "SELECT count(*) FROM package_versions WHERE origin = '" + liar.origin() + "'"))
                .isEqualTo(versions);
        return e;
    }

    /** After quarantine nothing more is taken: a valid new package stays unmirrored over several check intervals. */
    static void acceptsNothingMore(LyingNode liar) {
        long next = Mirrors.peer(mirror, liar.url()).getLong("nextEntry");
        liar.honestAgain();
        liar.publish(pkg(ns(liar) + "/later", "1.0.0"), publisher);
        Eventually.holdsFor(Mirrors.FAST.multipliedBy(10), () -> {
            assertThat(Mirrors.peer(mirror, liar.url()).getLong("nextEntry")).isEqualTo(next);
            assertThat(http.get(Mirrors.versionPath(liar.origin(), ns(liar) + "/later@1.0.0")).status())
                    .isEqualTo(404);
        }, "the quarantined peer's new package stays unmirrored over ten check intervals");
    }

    static String flip(String note, String line) {
        return note.replace("\n" + line + "\n", "\n" + (line.charAt(0) == 'A' ? 'B' : 'A') + line.substring(1) + "\n");
    }

    static Evidence withCheckpoint(Evidence e, int i, String note) {
        List<String> cps = new ArrayList<>(e.checkpoints());
        cps.set(i, note);
        return new Evidence(e.kind(), e.origin(), e.logKey(), e.detail(), cps, e.consistency(), e.entries());
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
        Evidence e = quarantined(fork, Evidence.Kind.FORK);
        assertThat(e.detail()).startsWith("two checkpoints of size 2 with different roots");
        assertThat(e.checkpoints()).containsExactly(honest, lie);
        // a byte of a checkpoint changed: the signature no longer verifies
        String rootLine = lie.split("\n")[2];
        assertThatThrownBy(() -> EvidenceCheck.check(withCheckpoint(e, 1, flip(lie, rootLine))))
                .isInstanceOf(EvidenceException.class).hasMessageContaining("does not verify");
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
        // the whole other history served: checkpoint, tiles, proof (from 2, a power of two: the tiles show the fork)
        inconsistent.serving = other;
        inconsistent.size = 3;
        Evidence e = quarantined(inconsistent, Evidence.Kind.FORK);
        assertThat(e.detail()).startsWith("checkpoint of size 3 is not consistent with the checkpoint of size 2");
        assertThat(e.checkpoints()).containsExactly(honest, other.checkpoint(3));
        Evidence.Consistency c = e.consistency().orElseThrow();
        assertThat(c.from()).isEqualTo(2);
        assertThat(c.to()).isEqualTo(3);
        assertThat(c.oldTreeHash()).hasValueSatisfying(h -> assertThat(h).isEqualTo(other.root(2)));
        // a byte of a consistency hash changed: it no longer leads to the signed root
        List<byte[]> hashes = new ArrayList<>(c.hashes());
        byte[] h = hashes.get(0).clone();
        h[7] ^= 1;
        hashes.set(0, h);
        Evidence flipped = new Evidence(e.kind(), e.origin(), e.logKey(), e.detail(), e.checkpoints(),
                java.util.Optional.of(new Evidence.Consistency(2, 3, hashes, c.oldTreeHash())), e.entries());
        assertThatThrownBy(() -> EvidenceCheck.check(flipped)).hasMessageContaining("so they prove nothing");
        acceptsNothingMore(inconsistent);
    }

    @Test
    void fork_anOlderCheckpointOfAnotherHistory() throws Exception {
        olderFork.publish(pkg(ns(olderFork) + "/model", "1.1.0"), publisher);
        synced(olderFork);
        assertThat(olderFork.size).isEqualTo(3);
        MemoryTileLog other = new MemoryTileLog(olderFork.key);
        other.append(olderFork.log.entry(0));
        other.append("another entry 1".getBytes(StandardCharsets.UTF_8));
        // an older size, but not a prefix of the tree the mirror holds: its own tiles show it
        String lie = other.checkpoint(2);
        olderFork.checkpoint = lie;
        Evidence e = quarantined(olderFork, Evidence.Kind.FORK, 2);
        assertThat(e.checkpoints()).containsExactly(lie, olderFork.log.checkpoint(3));
        assertThat(e.consistency().orElseThrow().oldTreeHash()).hasValueSatisfying(
                h -> assertThat(h).isEqualTo(olderFork.log.root(2)));
    }

    @Test
    void forgedPackage_signedByAKeyOutsideTheNamespaceKeyset() throws Exception {
        synced(forged);
        Ed25519PrivateKey intruder = Ed25519PrivateKey.generate();
        TestPackage evil = TestPackage.builder("forged/model", "1.0.1").build(intruder);
        forged.log.append(LogEntries.pkg(evil.bundle()));
        forged.blobs.put(evil.digest().toString(), evil.weights());
        forged.size = forged.log.size();
        Evidence e = quarantined(forged, Evidence.Kind.FORGED_PACKAGE);
        assertThat(e.detail()).startsWith("entry 2: forged/model@1.0.1 does not verify against the keyset "
                + "of namespace 'forged' (sequence 1): contract: no signature by a trusted key");
        assertThat(e.checkpoints()).containsExactly(forged.log.checkpoint(3));
        // the keyset in force (entry 0), every entry since, and the forged one, each with its inclusion proof
        assertThat(e.entries()).extracting(Evidence.ProvenEntry::index).containsExactly(0L, 1L, 2L);
        assertThat(e.entries().get(2).bytes()).isEqualTo(forged.log.entry(2));
        assertThat(http.get("/v1/digests/" + evil.digest()).status()).isEqualTo(404);

        // a byte of the forged entry, or of an inclusion hash, changed: refused
        List<Evidence.ProvenEntry> entries = new ArrayList<>(e.entries());
        byte[] bytes = entries.get(2).bytes();
        bytes[bytes.length / 2] ^= 1;
        entries.set(2, new Evidence.ProvenEntry(2, bytes, entries.get(2).inclusion()));
        assertThatThrownBy(() -> EvidenceCheck.check(with(e, entries))).hasMessageStartingWith("entry 2 is not proven");
        FederationTest.Cli refused = verifyEvidence(with(e, entries).toJsonString());
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err()).contains("evidence does not verify: entry 2 is not proven in the checkpoint of size 3");
        List<Evidence.ProvenEntry> hashes = new ArrayList<>(e.entries());
        List<byte[]> inclusion = new ArrayList<>(hashes.get(1).inclusion());
        byte[] hash = inclusion.get(0).clone();
        hash[0] ^= 1;
        inclusion.set(0, hash);
        hashes.set(1, new Evidence.ProvenEntry(1, hashes.get(1).bytes(), inclusion));
        assertThatThrownBy(() -> EvidenceCheck.check(with(e, hashes))).hasMessageStartingWith("entry 1 is not proven");
        // without the keyset in force the rule cannot be seen
        assertThatThrownBy(() -> EvidenceCheck.check(with(e, List.of(e.entries().get(2)))))
                .hasMessageContaining("breaks no rule");
        acceptsNothingMore(forged);
    }

    @Test
    void misbehaviourWhoseEvidenceIsTooLargeToCarry_isAFaultNotABan() throws Exception {
        synced(large);
        assertThat(large.size).isEqualTo(262);
        TestPackage evil = TestPackage.builder("large/model", "1.0.1").build(Ed25519PrivateKey.generate());
        large.log.append(LogEntries.pkg(evil.bundle()));
        large.blobs.put(evil.digest().toString(), evil.weights());
        large.size = large.log.size();
        // the keyset in force is entry 0: the evidence would need 263 entries
        Mirrors.await("the suspicion to show as a fault", DEADLINE, () -> Mirrors.findPeer(mirror, large.url())
                .filter(p -> p.getJsonObject("fault") != null && "unproven".equals(p.getJsonObject("fault")
                        .getString("kind"))).isPresent());
        JsonObject peer = Mirrors.peer(mirror, large.url());
        assertThat(peer.getString("status")).isEqualTo("trusted");
        assertThat(peer.getString("state")).isEqualTo("faulty");
        assertThat(peer.getJsonObject("fault").getString("reason")).startsWith("misbehaviour suspected (forged-package: "
                + "entry 262: large/model@1.0.1 does not verify").endsWith("evidence too large to carry: it needs 263 "
                + "entries, at most 256");
        assertThat(peer.getLong("nextEntry")).isEqualTo(262);
        assertThat(http.get("/v1/peers/evidence?peer=" + java.net.URLEncoder.encode(large.url(), StandardCharsets.UTF_8))
                .json().getJsonArray("evidence")).isEmpty();
        assertThat(http.get("/v1/digests/" + evil.digest()).status()).isEqualTo(404);
    }

    static int files;

    /** {@code grove peers verify-evidence} on this text, saved to a file. */
    static FederationTest.Cli verifyEvidence(String json, String... options) {
        Path file = work.resolve("evidence-" + (++files) + ".json");
        try {
            java.nio.file.Files.writeString(file, json);
        } catch (java.io.IOException x) {
            throw new java.io.UncheckedIOException(x);
        }
        List<String> args = new ArrayList<>(List.of("peers", "verify-evidence", file.toString()));
        args.addAll(List.of(options));
        return FederationTest.grove(args.toArray(String[]::new));
    }

    static Evidence with(Evidence e, List<Evidence.ProvenEntry> entries) {
        return new Evidence(e.kind(), e.origin(), e.logKey(), e.detail(), e.checkpoints(), e.consistency(), entries);
    }

    static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
