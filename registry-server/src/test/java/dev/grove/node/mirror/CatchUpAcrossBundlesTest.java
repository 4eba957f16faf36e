package dev.grove.node.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.dsse.Envelope;
import dev.grove.dsse.EnvelopeSigner;
import dev.grove.json.Json;
import dev.grove.logentry.LogEntries;
import dev.grove.node.Features;
import dev.grove.node.Node;
import dev.grove.node.health.NodeMetrics;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.TestNode;
import dev.grove.node.testing.TestPackage;
import dev.grove.pkg.KeysetChange;
import dev.grove.pkg.PayloadTypes;
import dev.grove.pkg.PublicKeyEntry;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A catch-up over several entry bundles, where the follower verifies the next bundle while it stores the one ahead: a
 * namespace's keyset changes in one bundle, and the packages of the bundles after it must be checked against the new
 * keyset, not the one stored before. One log rotates from alice to bob and then has bob publish (accepted, all of it);
 * in the other, alice publishes again in the bundle after the rotation's (refused as forged, with everything before it
 * kept).
 */
class CatchUpAcrossBundlesTest {

    static final Duration DEADLINE = Duration.ofSeconds(60);
    @TempDir
    static Path data;

    static Vertx vertx;
    static Node mirror;
    static NodeHttp http;
    static final Ed25519PrivateKey alice = Ed25519PrivateKey.generate();
    static final Ed25519PrivateKey bob = Ed25519PrivateKey.generate();
    static LyingNode rotated;
    static LyingNode forged;

    @BeforeAll
    static void start() {
        rotated = rotating("rotated", 600);
        forged = rotating("forged", 520);
        // slow artifacts keep a bundle's entries unstored while the next bundle is verified
        rotated.blobDelayMillis = 20;
        forged.blobDelayMillis = 20;
        vertx = NodeMetrics.createVertx();
        mirror = TestNode.start(vertx, Mirrors.following(data, rotated.url(), forged.url()), Features::all);
        http = new NodeHttp(mirror.port());
    }

    @AfterAll
    static void stop() {
        rotated.close();
        forged.close();
        TestNode.await(mirror.stop());
        TestNode.await(vertx.close());
    }

    /**
     * Entry 0 binds the namespace to alice, 1-499 are alice's packages, 500 (late in the second bundle of 256 entries,
     * so that it is stored after most of that bundle's artifacts are in) hands the namespace to bob, 501-599 are bob's
     * packages, except that alice signs again from {@code aliceAgain} on.
     */
    static LyingNode rotating(String ns, int aliceAgain) {
        LyingNode node = new LyingNode(ns);
        for (int i = 1; i < 500; i++) {
            node.publish(pkg(ns, i, alice), alice);
        }
        KeysetChange change = new KeysetChange(ns, 2, KeysetChange.keysetDigest(ns, 1, List.of(alice.keyId())),
                List.of(PublicKeyEntry.of(bob.publicKey())));
        Envelope signed = EnvelopeSigner.sign(PayloadTypes.KEYSET, Json.writeBytes(change.toJson()), alice);
        node.log.append(LogEntries.keyset(ns, 2, PublicKeyEntry.toMap(change.keys()), Optional.of(signed)));
        for (int i = 501; i < 600; i++) {
            Ed25519PrivateKey signer = i < aliceAgain ? bob : alice;
            node.publish(pkg(ns, i, signer), signer);
        }
        assertThat(node.size).isEqualTo(600);
        return node;
    }

    static TestPackage pkg(String ns, int i, Ed25519PrivateKey signer) {
        return TestPackage.builder(ns + "/model-" + i, "1.0.0")
                .weights((ns + " model " + i).getBytes(StandardCharsets.UTF_8)).build(signer);
    }

    static long stored(LyingNode node) {
        return Mirrors.count(mirror, "SELECT count(*) FROM package_versions WHERE origin = '" + node.origin() + "'");
    }

    @Test
    void packagesAfterARotationInAnEarlierBundle_areCheckedAgainstTheNewKeyset() {
        Mirrors.await("the mirror to copy the rotated log", DEADLINE, () -> Mirrors.findPeer(mirror, rotated.url())
                .filter(p -> p.getLong("nextEntry") == 600 && p.getLong("servedSize") == 600).isPresent());
        assertThat(Mirrors.peer(mirror, rotated.url()).getString("status")).isEqualTo("trusted");
        assertThat(stored(rotated)).isEqualTo(598);
        TransportFaultsTest.assertProven(http, rotated, "rotated/model-599@1.0.0");
        // and at the first try: a bundle checked against a stale keyset would end a round in an unproven suspicion
        assertThat(http.get("/metrics").body()).doesNotContain("grove_mirror_faults_total{kind=\"unproven\",peer=\""
                + rotated.url() + "\"}");
    }

    @Test
    void aPackageOfTheReplacedKey_inTheBundleAfterTheRotation_isForged() {
        Mirrors.await("the forged log to be quarantined", DEADLINE, () -> Mirrors.findPeer(mirror, forged.url())
                .filter(p -> "quarantined".equals(p.getString("status"))).isPresent());
        assertThat(Mirrors.peer(mirror, forged.url()).getString("reason")).startsWith("forged-package: ")
                .contains("forged/model-520");
        // everything before alice's late package is kept (bob's in the third bundle too), nothing from it on
        assertThat(stored(forged)).isEqualTo(499 + 19);
        assertThat(http.get(Mirrors.versionPath(forged.origin(), "forged/model-519@1.0.0")).status()).isEqualTo(200);
        assertThat(http.get(Mirrors.versionPath(forged.origin(), "forged/model-520@1.0.0")).status()).isEqualTo(404);
        assertThat(http.get("/metrics").body()).doesNotContain("grove_mirror_faults_total{kind=\"unproven\",peer=\""
                + forged.url() + "\"}");
    }
}
