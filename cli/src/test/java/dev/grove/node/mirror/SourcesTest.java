package dev.grove.node.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.node.Node;
import dev.grove.node.testing.NodeFixture;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.TestPackage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several sources of one log: C follows A's log through a path to A that the test breaks, and through B's copy of it
 * ({@code --follow RELAY,B/v1/origins/A#KEY_A}; real nodes on loopback, each with its own database). While the path to
 * A answers, C reads A and B waits; when it fails, or lies (a flipped byte in a bundle), the fault is the path's own,
 * shown on it, A's log is not quarantined, and C copies what A published from B; once the path is honest again, C reads
 * A again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SourcesTest {

    static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    static Path dataA;
    @TempDir
    static Path dataB;
    @TempDir
    static Path dataC;

    static NodeFixture nodes;
    static Node a;
    static Node b;
    static Node c;
    static Relay toA;
    static String originA;
    static String keyA;
    static String viaB;
    static final Ed25519PrivateKey alice = Ed25519PrivateKey.generate();
    static int published;

    @BeforeAll
    static void start() {
        nodes = new NodeFixture();
        a = nodes.start(dataA);
        originA = Mirrors.origin(a);
        keyA = Mirrors.logKey(a);
        toA = new Relay(Mirrors.url(a));
        b = nodes.start(Mirrors.following(dataB, Mirrors.url(a)));
        viaB = Mirrors.originUrl(b, originA);
        c = nodes.start(Mirrors.following(dataC, toA.url() + "," + viaB + "#" + keyA));
        publish();
    }

    @AfterAll
    static void stop() {
        try {
            if (nodes != null) {
                nodes.close();
            }
        } finally {
            toA.close();
        }
    }

    /** Publishes one more package on A and waits until C holds it, proven. */
    static String publish() {
        String name = "epsilon/model-" + published++;
        TestPackage pkg = TestPackage.builder(name, "1.0.0")
                .weights((name + " weights").getBytes(StandardCharsets.UTF_8)).build(alice);
        assertThat(new NodeHttp(a.port()).publish(pkg).status()).isEqualTo(201);
        String ref = name + "@1.0.0";
        Mirrors.await("C to hold " + ref + " with its proof", DEADLINE, () -> {
            NodeHttp.Reply r = new NodeHttp(c.port()).get(Mirrors.versionPath(originA, ref));
            return r.status() == 200 && r.json().getJsonObject("log").containsKey("inclusion");
        });
        return ref;
    }

    static JsonObject log(Node node) {
        JsonArray logs = new NodeHttp(node.port()).get("/v1/peers").json().getJsonArray("logs");
        assertThat(logs).hasSize(1);
        return logs.getJsonObject(0);
    }

    static JsonObject source(String url) {
        return Mirrors.peer(c, url);
    }

    @Test
    @Order(1)
    void whileThePathToTheOriginAnswers_theMirrorWaits() {
        JsonObject log = log(c);
        assertThat(log.getString("origin")).isEqualTo(originA);
        assertThat(log.getString("logKey")).isEqualTo(keyA);
        assertThat(log.getString("state")).isEqualTo("caught-up");
        JsonArray sources = log.getJsonArray("sources");
        assertThat(sources.stream().map(s -> ((JsonObject) s).getString("url"))).containsExactly(toA.url(), viaB);
        assertThat(source(toA.url()).getString("lastContact")).isNotNull();
        assertThat(source(viaB).getString("state")).isEqualTo("standby");
        assertThat(source(viaB).getString("lastContact")).isNull();
        // one log, one checkpoint, one next_entry: the sources share it
        assertThat(Mirrors.count(c, "SELECT count(*) FROM mirrored_logs")).isEqualTo(1);
        assertThat(source(viaB).getLong("nextEntry")).isEqualTo(source(toA.url()).getLong("nextEntry"));
    }

    @Test
    @Order(2)
    void thePathDown_theLogIsCopiedFromTheMirror() {
        toA.down = true;
        String ref = publish();
        JsonObject down = source(toA.url());
        assertThat(down.getString("state")).isEqualTo("unreachable");
        assertThat(down.getJsonObject("fault").getString("kind")).isEqualTo("http-error");
        assertThat(down.getString("status")).isEqualTo("trusted");
        JsonObject mirror = source(viaB);
        assertThat(mirror.getString("state")).isEqualTo("caught-up");
        assertThat(mirror.getString("lastContact")).isNotNull();
        assertThat(mirror.getJsonObject("lastServed").getLong("size")).isEqualTo(mirror.getLong("treeSize"));
        assertThat(log(c).getString("state")).isEqualTo("caught-up");
        TransportFaultsTest.assertProven(new NodeHttp(c.port()), originA, ref);

        FederationTest.Cli peers = FederationTest.grove("peers", "--registry", Mirrors.url(c));
        assertThat(peers.exit()).as(peers.toString()).isZero();
        assertThat(peers.out()).contains("log " + originA + ": caught-up").contains(toA.url() + " (unreachable)")
                .contains(viaB + " (caught-up)");
    }

    @Test
    @Order(3)
    void thePathLying_isAFaultOfThePath_notOfTheOrigin() {
        toA.down = false;
        // the path is asked first again once its backoff is over; with nothing new, it has nothing to lie about
        Mirrors.await("the path to A to answer again", DEADLINE, () -> source(toA.url()).getJsonObject("fault") == null);
        toA.flipBundles = true;
        // it lies about the next bundle, and the next package comes from B
        String ref = publish();
        JsonObject lying = source(toA.url());
        assertThat(lying.getString("state")).isEqualTo("faulty");
        assertThat(lying.getJsonObject("fault").getString("kind")).isEqualTo("not-in-tree");
        assertThat(log(c).getString("status")).isEqualTo("trusted");
        assertThat(new NodeHttp(c.port()).get("/v1/peers/evidence").json().getJsonArray("evidence")).isEmpty();
        TransportFaultsTest.assertProven(new NodeHttp(c.port()), originA, ref);
    }

    @Test
    @Order(4)
    void thePathHonestAgain_theOriginIsReadAgain() {
        toA.flipBundles = false;
        Mirrors.await("the path to A to be read again", DEADLINE, () -> source(toA.url()).getJsonObject("fault") == null
                && source(viaB).getJsonObject("fault") == null);
        String before = source(viaB).getString("lastContact");
        publish();
        assertThat(source(toA.url()).getString("state")).isEqualTo("caught-up");
        assertThat(source(viaB).getString("lastContact")).isEqualTo(before);
    }

    @Test
    void sourcesOfOneLog_areNamedTogetherOrWithTheSameKey() {
        String key = keyA;
        List<PeerSpec> grouped = PeerSpec.group(List.of(PeerSpec.parse("http://a.test#" + key),
                PeerSpec.parse("http://other.test"), PeerSpec.parse(viaB + "#" + key)));
        assertThat(grouped).containsExactly(new PeerSpec(List.of("http://a.test", viaB), Optional.of(key)),
                new PeerSpec(List.of("http://other.test"), Optional.empty()));
        assertThat(PeerSpec.parse("http://a.test, " + viaB + "#" + key).urls()).containsExactly("http://a.test", viaB);
        assertThatThrownBy(() -> PeerSpec.parse("http://a.test,http://b.test"))
                .hasMessageContaining("several sources of one log need its key");
        String otherKey = dev.grove.note.NoteSigner.ed25519(originA, Ed25519PrivateKey.generate()).verifier().toString();
        assertThatThrownBy(() -> PeerSpec.group(List.of(PeerSpec.parse("http://a.test#" + key),
                PeerSpec.parse("http://b.test#" + otherKey)))).hasMessageContaining("two keys given for the log " + originA);
    }
}
