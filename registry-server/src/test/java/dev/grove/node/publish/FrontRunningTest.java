package dev.grove.node.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.node.Features;
import dev.grove.node.Node;
import dev.grove.node.testing.Eventually;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.NodeHttp.Reply;
import dev.grove.node.testing.TestNode;
import dev.grove.node.testing.TestPackage;
import dev.grove.note.NoteVerifier;
import dev.grove.pkg.PackageRef;
import dev.grove.pkg.PublicKeyEntry;
import dev.grove.verify.Refusal;
import dev.grove.verify.TrustPolicy;
import dev.grove.verify.VersionDocument;
import dev.grove.verify.VersionVerifier;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whoever holds a public bundle cannot make a version unverifiable by publishing it without its keys: a bundle must carry
 * the public key of every key that signed it, what the node stores verifies on its own, and a copy stored without its
 * keys is repaired by publishing it again with them.
 */
class FrontRunningTest {

    @TempDir
    static Path data;
    static Vertx vertx;
    static Node node;
    static NodeHttp http;
    static TrustPolicy policy;
    static final Ed25519PrivateKey KEY = Ed25519PrivateKey.generate();
    static final Ed25519PrivateKey SECOND = Ed25519PrivateKey.generate();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        node = TestNode.start(vertx, data, Features::all);
        http = new NodeHttp(node.port());
        assertThat(http.publish(TestPackage.builder("front/model", "1.0.0").build(KEY)).status()).isEqualTo(201);
        policy = TrustPolicy.forLog(NoteVerifier.parse(http.get("/.well-known/grove/log-key").body().trim()));
    }

    @AfterAll
    static void stop() {
        TestNode.stop(node, vertx);
    }

    static String withKeys(TestPackage pkg, List<PublicKeyEntry> keys) {
        return new JsonObject(pkg.bundleJson()).put("keys", new io.vertx.core.json.JsonArray(keys.stream()
                .map(k -> (Object) new JsonObject(dev.grove.json.Json.write(k.toJson()))).toList())).encode();
    }

    static void assertRefused(Reply reply, String detailPart) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.detail()).contains(detailPart);
    }

    @Test
    void aBundleWithoutItsSignersKeysIsRefusedInABoundNamespace() {
        TestPackage pkg = TestPackage.builder("front/model", "1.0.1").build(KEY);
        http.putBlob(pkg.weights());
        assertRefused(http.post("/v1/packages", withKeys(pkg, List.of())), "carry no public key");
        assertThat(http.get("/v1/packages/front/model/versions/1.0.1").status()).isEqualTo(404);

        TestPackage twoSigners = TestPackage.builder("front/model", "1.0.2").build(KEY, SECOND);
        http.putBlob(twoSigners.weights());
        assertRefused(http.post("/v1/packages", withKeys(twoSigners, List.of(PublicKeyEntry.of(KEY.publicKey())))),
                SECOND.keyId().hex());
        assertThat(http.get("/v1/packages/front/model/versions/1.0.2").status()).isEqualTo(404);

        assertThat(http.publish(pkg).status()).as("with its key, the same bundle is published").isEqualTo(201);
    }

    @Test
    void aBundleWithoutKeysIsRefusedInANewNamespaceToo() {
        TestPackage pkg = TestPackage.builder("fresh/model", "1.0.0").build(KEY);
        http.putBlob(pkg.weights());
        assertRefused(http.post("/v1/packages", withKeys(pkg, List.of())), "carry no public key");
        assertThat(http.get("/v1/namespaces/fresh").status()).isEqualTo(404);
    }

    @Test
    void aStoredCopyWithoutItsKeysIsRepairedByPublishingItWithThem() throws Exception {
        TestPackage pkg = TestPackage.builder("front/broken", "1.0.0").build(KEY);
        assertThat(http.publish(pkg).status()).isEqualTo(201);
        PackageRef ref = PackageRef.parse("front/broken@1.0.0");
        verified(ref);
        // a copy stored by an earlier node, which did not refuse a keyless bundle
        TestNode.await(node.pool().query("UPDATE package_versions SET signer_keys = '[]'::jsonb "
                + "WHERE namespace = 'front' AND name = 'broken'").execute());
        // a write straight into the database reaches the node's kept documents by notification, a moment later
        Eventually.untilAsserted(Eventually.PATIENCE, () -> assertThatThrownBy(() -> VersionVerifier.verify(document(ref),
                ref, policy, nowSeconds())).isInstanceOf(Refusal.class).hasMessageContaining("no public keys"),
                "the damaged copy to be served");

        Reply again = http.publish(pkg);
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json().getBoolean("created")).isFalse();
        assertThat(again.json().getBoolean("repaired")).isTrue();
        verified(ref);

        Reply retry = http.publish(pkg);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.json().containsKey("repaired")).as("a sound copy needs no repair").isFalse();
        assertThat(retry.json().getJsonObject("log").getLong("index"))
                .isEqualTo(again.json().getJsonObject("log").getLong("index"));
    }

    static VersionDocument document(PackageRef ref) {
        return VersionDocument.parse(http.get("/v1/packages/" + ref.name().namespace() + "/" + ref.name().name()
                + "/versions/" + ref.version()).body());
    }

    /** Verifies as a client does, once the version's entry is in a signed checkpoint (within about 200 ms). */
    static void verified(PackageRef ref) {
        Refusal refusal = Eventually.await(Eventually.PATIENCE, () -> {
            try {
                VersionVerifier.verify(document(ref), ref, policy, nowSeconds());
                return null;
            } catch (Refusal r) {
                return r;
            }
        }, r -> r == null || r.check() != Refusal.Check.LOG_PENDING, ref + " is no longer pending in the log");
        if (refusal != null) {
            throw refusal;
        }
    }

    static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }
}
