package dev.grove.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.crypto.KeyId;
import dev.grove.crypto.Sha256;
import dev.grove.dsse.Envelope;
import dev.grove.dsse.EnvelopeSigner;
import dev.grove.json.Json;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.NodeHttp.Reply;
import dev.grove.node.testing.TestNode;
import dev.grove.node.testing.TestPackage;
import dev.grove.pkg.KeysetChange;
import dev.grove.pkg.PackageName;
import dev.grove.pkg.PayloadTypes;
import dev.grove.pkg.PublicKeyEntry;
import dev.grove.pkg.Yank;
import dev.grove.semver.SemVer;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A signed yank or keyset change sent to one node, replayed on another node that holds the namespace, can only do what
 * its signer meant: a yank names the package digest, so it yanks that content and nothing else; a keyset change names
 * the keyset it replaces, so it applies only where the namespace is in exactly that state.
 */
class ReplayTest {

    @TempDir
    static Path dataA;
    @TempDir
    static Path dataB;
    static Vertx vertx;
    static Node a;
    static Node b;
    static NodeHttp httpA;
    static NodeHttp httpB;
    static final Ed25519PrivateKey KEY = Ed25519PrivateKey.generate();

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        a = TestNode.start(vertx, dataA, Features::all);
        b = TestNode.start(vertx, dataB, Features::all);
        httpA = new NodeHttp(a.port());
        httpB = new NodeHttp(b.port());
    }

    @AfterAll
    static void stop() {
        try {
            TestNode.await(b.stop());
        } finally {
            TestNode.stop(a, vertx);
        }
    }

    static Envelope yank(String name, String version, Sha256 digest, String reason) {
        byte[] payload = Json.writeBytes(new Yank(PackageName.parse(name), SemVer.parse(version), digest, reason).toJson());
        return EnvelopeSigner.sign(PayloadTypes.YANK, payload, KEY);
    }

    static Envelope keysetChange(String namespace, long sequence, List<KeyId> replaced, Ed25519PrivateKey signer,
                                 Ed25519PrivateKey... keys) {
        List<PublicKeyEntry> entries = java.util.Arrays.stream(keys).map(k -> PublicKeyEntry.of(k.publicKey())).toList();
        KeysetChange change = new KeysetChange(namespace, sequence,
                KeysetChange.keysetDigest(namespace, sequence - 1, replaced), entries);
        return EnvelopeSigner.sign(PayloadTypes.KEYSET, Json.writeBytes(change.toJson()), signer);
    }

    static boolean yanked(NodeHttp http, String name, String version) {
        return http.get("/v1/packages/" + name + "/versions/" + version).json().getBoolean("yanked");
    }

    @Test
    void aYankReplayedOnANodeWhereTheVersionIsOtherContentYanksNothing() {
        TestPackage onA = TestPackage.builder("twin/model", "1.0.0").summary("the build published on A").build(KEY);
        TestPackage onB = TestPackage.builder("twin/model", "1.0.0").summary("an earlier build, on B").build(KEY);
        assertThat(httpA.publish(onA).status()).isEqualTo(201);
        assertThat(httpB.publish(onB).status()).isEqualTo(201);

        Envelope statement = yank("twin/model", "1.0.0", onA.digest(), "wrong labels");
        assertThat(httpA.post("/v1/packages/twin/model/versions/1.0.0/yank", statement.toJsonString()).status())
                .isEqualTo(200);
        assertThat(yanked(httpA, "twin/model", "1.0.0")).isTrue();

        Reply replayed = httpB.post("/v1/packages/twin/model/versions/1.0.0/yank", statement.toJsonString());
        assertThat(replayed.status()).as(replayed.body()).isEqualTo(409);
        assertThat(replayed.detail()).contains(onA.digest().toString()).contains(onB.digest().toString())
                .contains("applies only to the package it names");
        assertThat(yanked(httpB, "twin/model", "1.0.0")).isFalse();
    }

    @Test
    void aYankReplayedOnANodeThatHoldsTheSamePackageYanksItThere() {
        TestPackage same = TestPackage.builder("twin/same", "1.0.0").build(KEY);
        assertThat(httpA.publish(same).status()).isEqualTo(201);
        assertThat(httpB.publish(same).status()).isEqualTo(201);
        Envelope statement = yank("twin/same", "1.0.0", same.digest(), "wrong labels");
        assertThat(httpA.post("/v1/packages/twin/same/versions/1.0.0/yank", statement.toJsonString()).status())
                .isEqualTo(200);
        assertThat(httpB.post("/v1/packages/twin/same/versions/1.0.0/yank", statement.toJsonString()).status())
                .as("the signer's word about this content").isEqualTo(200);
        assertThat(yanked(httpB, "twin/same", "1.0.0")).isTrue();
    }

    @Test
    void aKeysetChangeReplayedOnAnotherHistoryOfTheNamespaceIsRefused() {
        Ed25519PrivateKey coMaintainer = Ed25519PrivateKey.generate();
        Ed25519PrivateKey newcomer = Ed25519PrivateKey.generate();
        // A binds "pair" to KEY and its co-maintainer; B binds it to KEY alone: both at sequence 1
        assertThat(httpA.publish(TestPackage.builder("pair/model", "1.0.0").build(KEY, coMaintainer)).status())
                .isEqualTo(201);
        assertThat(httpB.publish(TestPackage.builder("pair/model", "1.0.0").build(KEY)).status()).isEqualTo(201);

        Envelope change = keysetChange("pair", 2, List.of(KEY.keyId(), coMaintainer.keyId()), KEY, KEY, newcomer);
        assertThat(httpA.post("/v1/namespaces/pair/keyset", change.toJsonString()).status()).isEqualTo(200);

        Reply replayed = httpB.post("/v1/namespaces/pair/keyset", change.toJsonString());
        assertThat(replayed.status()).as(replayed.body()).isEqualTo(409);
        assertThat(replayed.detail()).contains("applies only to the keyset it was signed against");
        assertThat(httpB.get("/v1/namespaces/pair").json().getLong("sequence")).isEqualTo(1);
        assertThat(httpB.get("/v1/namespaces/pair").json().getJsonArray("keys")).hasSize(1);

        Reply again = httpA.post("/v1/namespaces/pair/keyset", change.toJsonString());
        assertThat(again.status()).as("a replay on the node it was sent to").isEqualTo(409);
    }

    @Test
    void aKeysetChangeReplayedWhereTheNamespaceIsInTheSameStateDoesWhatItsSignerMeant() {
        Ed25519PrivateKey newcomer = Ed25519PrivateKey.generate();
        assertThat(httpA.publish(TestPackage.builder("solo/model", "1.0.0").build(KEY)).status()).isEqualTo(201);
        assertThat(httpB.publish(TestPackage.builder("solo/model", "1.0.0").summary("other").build(KEY)).status())
                .isEqualTo(201);
        Envelope change = keysetChange("solo", 2, List.of(KEY.keyId()), KEY, KEY, newcomer);
        assertThat(httpA.post("/v1/namespaces/solo/keyset", change.toJsonString()).status()).isEqualTo(200);
        assertThat(httpB.post("/v1/namespaces/solo/keyset", change.toJsonString()).status()).isEqualTo(200);
        assertThat(httpB.get("/v1/namespaces/solo").json().getJsonArray("keys")).hasSize(2);
    }

    @Test
    void statementsOfTheEarlierFormatsAreRefusedFromSigners() {
        TestPackage pkg = TestPackage.builder("older/model", "1.0.0").build(KEY);
        assertThat(httpA.publish(pkg).status()).isEqualTo(201);
        byte[] v1 = "{\"schema\":\"grove.yank/v1\",\"name\":\"older/model\",\"version\":\"1.0.0\",\"reason\":\"x\"}"
                .getBytes(StandardCharsets.UTF_8);
        Reply yank = httpA.post("/v1/packages/older/model/versions/1.0.0/yank",
                EnvelopeSigner.sign(PayloadTypes.YANK, v1, KEY).toJsonString());
        assertThat(yank.status()).isEqualTo(400);
        assertThat(yank.detail()).contains("grove.yank/v2");
        byte[] keysetV1 = ("{\"schema\":\"grove.keyset/v1\",\"namespace\":\"older\",\"sequence\":2,\"keys\":[{\"keyid\":\""
                + KEY.keyId() + "\",\"publicKey\":\"" + KEY.publicKey().base64() + "\"}]}").getBytes(StandardCharsets.UTF_8);
        Reply keyset = httpA.post("/v1/namespaces/older/keyset",
                EnvelopeSigner.sign(PayloadTypes.KEYSET, keysetV1, KEY).toJsonString());
        assertThat(keyset.status()).isEqualTo(400);
        assertThat(keyset.detail()).contains("grove.keyset/v2");
        assertThat(yanked(httpA, "older/model", "1.0.0")).isFalse();
    }
}
