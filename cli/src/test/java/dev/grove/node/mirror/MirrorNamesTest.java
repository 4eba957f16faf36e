package dev.grove.node.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.node.Node;
import dev.grove.node.testing.NodeFixture;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.TestPackage;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names on a mirror: M follows A and B and publishes packages of its own (real nodes on loopback, each with its own
 * database). A plain name means M's own package when it has one, else the one origin M mirrors it from; a name two
 * origins have is refused with both listed, and {@code ORIGIN/ns/name} names either. The commands take both forms and
 * prove a mirrored package in its origin's log, with its origin's key.
 */
class MirrorNamesTest {

    static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    static Path dataA;
    @TempDir
    static Path dataB;
    @TempDir
    static Path dataM;
    @TempDir
    static Path work;

    static NodeFixture nodes;
    static Node a;
    static Node b;
    static Node m;
    static String originA;
    static String originB;
    static final Ed25519PrivateKey alice = Ed25519PrivateKey.generate();
    static final Ed25519PrivateKey bob = Ed25519PrivateKey.generate();
    static final Ed25519PrivateKey mallory = Ed25519PrivateKey.generate();
    static TestPackage onlyA;
    static TestPackage sharedA;
    static TestPackage sharedB;
    static TestPackage dupA;
    static TestPackage dupM;

    @BeforeAll
    static void start() {
        nodes = new NodeFixture();
        a = nodes.start(dataA);
        b = nodes.start(dataB);
        m = nodes.start(Mirrors.following(dataM, Mirrors.url(a), Mirrors.url(b)));
        originA = Mirrors.origin(a);
        originB = Mirrors.origin(b);
        onlyA = publish(a, "only/langid", "1.0.0", alice);
        sharedA = publish(a, "shared/langid", "1.0.0", alice);
        dupA = publish(a, "dup/langid", "1.0.0", alice);
        sharedB = publish(b, "shared/langid", "2.0.0", bob);
        dupM = publish(m, "dup/langid", "1.0.0", mallory);
        for (String ref : new String[] {"only/langid@1.0.0", "shared/langid@1.0.0", "dup/langid@1.0.0"}) {
            Mirrors.await("M to hold " + ref + " of A", DEADLINE, () -> FederationTest.has(m, originA, ref));
        }
        Mirrors.await("M to hold shared/langid of B", DEADLINE, () -> FederationTest.has(m, originB,
                "shared/langid@2.0.0"));
    }

    @AfterAll
    static void stop() {
        if (nodes != null) {
            nodes.close();
        }
    }

    static TestPackage publish(Node node, String name, String version, Ed25519PrivateKey key) {
        TestPackage pkg = TestPackage.builder(name, version).summary("language identification from " + node.port())
                .weights((name + "@" + version + " on " + node.port()).getBytes(StandardCharsets.UTF_8)).build(key);
        assertThat(new NodeHttp(node.port()).publish(pkg).status()).isEqualTo(201);
        return pkg;
    }

    @Test
    void aPlainName_isTheNodesOwn_elseTheOneOriginsThatHasIt() {
        NodeHttp onM = new NodeHttp(m.port());
        JsonObject only = onM.get("/v1/packages/only/langid/versions/1.0.0").json();
        assertThat(only.getString("origin")).isEqualTo(originA);
        assertThat(only.getString("digest")).isEqualTo(onlyA.digest().toString());
        assertThat(only.getJsonObject("log").getString("checkpoint")).startsWith(originA + "\n");
        assertThat(onM.get("/v1/packages/only/langid/versions/latest").json().getString("digest"))
                .isEqualTo(onlyA.digest().toString());
        JsonObject versions = onM.get("/v1/packages/only/langid").json();
        assertThat(versions.getString("origin")).isEqualTo(originA);
        assertThat(versions.getJsonArray("versions").getJsonObject(0).getString("digest"))
                .isEqualTo(onlyA.digest().toString());
        // M's own package first, although A has one of that name too
        assertThat(onM.get("/v1/packages/dup/langid/versions/1.0.0").json().getString("digest"))
                .isEqualTo(dupM.digest().toString());
        assertThat(onM.get("/v1/origins/" + enc(originA) + "/packages/dup/langid").json().getJsonArray("versions")
                .getJsonObject(0).getString("digest")).isEqualTo(dupA.digest().toString());
        assertThat(onM.get("/v1/packages/nowhere/langid").status()).isEqualTo(404);
    }

    @Test
    void theOwnAndTheOriginReads_areTheSameDocuments_andSayWhatIsMissingAlike() {
        NodeHttp onM = new NodeHttp(m.port());
        String underA = "/v1/origins/" + enc(originA) + "/packages";
        // a plain name M mirrors from A alone, read both ways: the same documents
        assertThat(onM.get(underA + "/only/langid/versions/1.0.0").json())
                .isEqualTo(onM.get("/v1/packages/only/langid/versions/1.0.0").json());
        assertThat(onM.get(underA + "/only/langid/versions/latest").json())
                .isEqualTo(onM.get("/v1/packages/only/langid/versions/1.0.0").json());
        assertThat(onM.get(underA + "/only/langid").json()).isEqualTo(onM.get("/v1/packages/only/langid").json());

        NodeHttp.Reply ownVersion = onM.get("/v1/packages/dup/langid/versions/9.0.0");
        NodeHttp.Reply aVersion = onM.get(underA + "/dup/langid/versions/9.0.0");
        assertThat(ownVersion.status()).isEqualTo(404);
        assertThat(aVersion.status()).isEqualTo(404);
        assertThat(ownVersion.detail()).isEqualTo("dup/langid@9.0.0 is not published on this node");
        assertThat(aVersion.detail()).isEqualTo(originA + "/dup/langid@9.0.0 is not held by this node");
        assertThat(onM.get("/v1/packages/nowhere/langid").detail())
                .isEqualTo("package nowhere/langid is not published on this node");
        assertThat(onM.get(underA + "/nowhere/langid").detail())
                .isEqualTo("package " + originA + "/nowhere/langid is not held by this node");
        assertThat(onM.get(underA + "/nowhere/langid/versions/latest").detail())
                .isEqualTo(originA + "/nowhere/langid has no released version that is not yanked; name a version "
                        + "explicitly");
        for (String path : new String[] {"/v1/packages/dup/langid/versions/x.y", underA + "/dup/langid/versions/x.y"}) {
            NodeHttp.Reply bad = onM.get(path);
            assertThat(bad.status()).as(path).isEqualTo(400);
            assertThat(bad.detail()).as(path).startsWith("'x.y' is not a version: ");
        }
    }

    @Test
    void aNameSeveralOriginsHave_isRefusedWithTheOriginsListed() {
        NodeHttp onM = new NodeHttp(m.port());
        for (String path : new String[] {"/v1/packages/shared/langid", "/v1/packages/shared/langid/versions/1.0.0",
                "/v1/packages/shared/langid/versions/latest"}) {
            NodeHttp.Reply reply = onM.get(path);
            assertThat(reply.status()).as(path).isEqualTo(409);
            assertThat(reply.contentType()).startsWith("application/problem+json");
            assertThat(reply.json().getJsonArray("origins")).as(path).containsExactlyInAnyOrder(originA, originB);
            assertThat(reply.detail()).contains("ORIGIN/shared/langid");
        }
        assertThat(onM.get("/v1/origins/" + enc(originB) + "/packages/shared/langid").json().getString("latest"))
                .isEqualTo("2.0.0");

        FederationTest.Cli pull = FederationTest.grove("pull", "shared/langid", "--registry", Mirrors.url(m), "--out",
                work.resolve("ambiguous").toString());
        assertThat(pull.exit()).as(pull.toString()).isEqualTo(1);
        assertThat(pull.err()).contains(originA).contains(originB).contains("ORIGIN/shared/langid");
        assertThat(work.resolve("ambiguous")).doesNotExist();
    }

    @Test
    void pull_resolvesAPlainName_andProvesItInItsOriginsLog() throws Exception {
        Path out = work.resolve("only");
        FederationTest.Cli pull = FederationTest.grove("pull", "only/langid@1.0.0", "--registry", Mirrors.url(m),
                "--out", out.toString());
        assertThat(pull.exit()).as(pull.toString()).isZero();
        assertThat(pull.out()).contains("origin      " + originA)
                .contains(" of log " + originA + ", in its signed checkpoint")
                .contains("announced by " + dev.grove.cli.trust.LogKeys.nodeOf(originA));
        assertThat(Files.readAllBytes(out.resolve("weights/model.safetensors"))).isEqualTo(onlyA.weights());

        Path qualified = work.resolve("shared-b");
        FederationTest.Cli pullB = FederationTest.grove("pull", originB + "/shared/langid", "--registry",
                Mirrors.url(m), "--out", qualified.toString());
        assertThat(pullB.exit()).as(pullB.toString()).isZero();
        assertThat(pullB.out()).contains("pulled shared/langid@2.0.0 " + sharedB.digest());

        FederationTest.Cli verify = FederationTest.grove("verify", originA + "/shared/langid@1.0.0", "--registry",
                Mirrors.url(m));
        assertThat(verify.exit()).as(verify.toString()).isZero();
        assertThat(verify.out()).contains("verified shared/langid@1.0.0 " + sharedA.digest())
                .contains(" of log " + originA);
    }

    @Test
    void infoAndSearch_nameTheOrigin() {
        FederationTest.Cli info = FederationTest.grove("info", originA + "/shared/langid", "--registry", Mirrors.url(m));
        assertThat(info.exit()).as(info.toString()).isZero();
        assertThat(info.out()).contains("shared/langid  (on " + originA + ")").contains(sharedA.digest().toString())
                .contains("verified");
        FederationTest.Cli plain = FederationTest.grove("info", "only/langid", "--registry", Mirrors.url(m));
        assertThat(plain.exit()).as(plain.toString()).isZero();
        assertThat(plain.out()).contains("only/langid  (on " + originA + ")");

        FederationTest.Cli search = FederationTest.grove("search", "langid", "--registry", Mirrors.url(m));
        assertThat(search.exit()).as(search.toString()).isZero();
        String originM = Mirrors.origin(m);
        assertThat(search.out()).contains("ORIGIN");
        assertThat(search.out().lines()).anyMatch(l -> l.startsWith("shared/langid") && l.contains(originA))
                .anyMatch(l -> l.startsWith("shared/langid") && l.contains(originB))
                .anyMatch(l -> l.startsWith("dup/langid") && l.contains(originM));
        FederationTest.Cli fromB = FederationTest.grove("search", "--origin", originB, "--registry", Mirrors.url(m));
        assertThat(fromB.out().lines().skip(1)).hasSize(1).allMatch(l -> l.startsWith("shared/langid")
                && l.contains(originB));
        FederationTest.Cli own = FederationTest.grove("search", "--origin", originM, "--registry", Mirrors.url(m));
        assertThat(own.out().lines().skip(1)).hasSize(1).allMatch(l -> l.startsWith("dup/langid"));

        // --json: the same results as objects, each with its origin
        FederationTest.Cli asJson = FederationTest.grove("search", "langid", "--json", "--registry", Mirrors.url(m));
        assertThat(asJson.exit()).as(asJson.toString()).isZero();
        io.vertx.core.json.JsonArray results = new io.vertx.core.json.JsonObject(asJson.out()).getJsonArray("results");
        assertThat(results.stream().map(r -> ((io.vertx.core.json.JsonObject) r).getString("name") + " "
                + ((io.vertx.core.json.JsonObject) r).getString("origin")))
                .contains("shared/langid " + originA, "shared/langid " + originB, "dup/langid " + originM);
    }

    static String enc(String origin) {
        return URLEncoder.encode(origin, StandardCharsets.UTF_8);
    }
}
