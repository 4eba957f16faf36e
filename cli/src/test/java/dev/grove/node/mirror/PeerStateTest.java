package dev.grove.node.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.node.Features;
import dev.grove.node.Node;
import dev.grove.node.NodeConfig;
import dev.grove.node.health.NodeMetrics;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.TestNode;
import dev.grove.node.testing.TestPackage;
import dev.grove.node.witness.AddCheckpointRequest;
import dev.grove.node.witness.WitnessRoutes;
import dev.grove.note.Note;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * What a mirror says of its peers beyond faults. A peer that keeps serving an old, valid checkpoint while this node, as
 * the witness of its log, cosigned a newer one is not caught up ({@code stale}, with the sizes and the time), until it
 * serves the newer one. A log followed again under another URL is a clear fault on that URL, logged once, while the
 * peer keeps being followed through the first.
 */
class PeerStateTest {

    static final Duration DEADLINE = Duration.ofSeconds(30);
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path data;
    @TempDir
    static Path dataTwice;

    static Vertx vertx;
    static Node mirror;
    static NodeHttp http;
    static final Ed25519PrivateKey publisher = Ed25519PrivateKey.generate();
    static LyingNode frozen;
    static LyingNode twice;

    @BeforeAll
    static void start() {
        frozen = TransportFaultsTest.honest("frozen");
        twice = TransportFaultsTest.honest("twice");
        vertx = NodeMetrics.createVertx();
        mirror = TestNode.start(vertx, Mirrors.following(data, frozen.url()), Features::all);
        http = new NodeHttp(mirror.port());
    }

    @AfterAll
    static void stop() {
        frozen.close();
        twice.close();
        if (mirror != null) {
            TestNode.await(mirror.stop());
        }
        TestNode.await(vertx.close());
    }

    static void synced(LyingNode node) {
        synced(mirror, node);
    }

    static void synced(Node mirror, LyingNode node) {
        Mirrors.await("the mirror to copy " + node.url() + "'s log of " + node.size, DEADLINE, () -> Mirrors.findPeer(
                mirror, node.url()).filter(p -> "caught-up".equals(p.getString("state"))
                && Long.valueOf(node.size).equals(p.getLong("servedSize"))).isPresent());
    }

    /** Asks the mirror's witness to cosign the checkpoint (c2sp.org/tlog-witness); returns its cosignature line. */
    static String cosign(long oldSize, String checkpoint) throws Exception {
        byte[] body = new AddCheckpointRequest(oldSize, List.of(), Note.parse(checkpoint)).toBytes();
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(Mirrors.url(mirror)
                + WitnessRoutes.ADD_CHECKPOINT)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    @Test
    void aPeerServingAnOldCheckpoint_whileThisNodesWitnessCosignedANewerOne_isStale() throws Exception {
        synced(frozen);
        JsonObject before = Mirrors.peer(mirror, frozen.url());
        assertThat(before.getString("stateReason")).isEqualTo("holds every entry of the verified checkpoint of size 2");

        // the node grows, shows the witness its new checkpoint, and keeps serving the old one to the mirror
        frozen.checkpoint = frozen.log.checkpoint(2);
        TestPackage next = TransportFaultsTest.pkg("frozen/model", "1.1.0");
        frozen.publish(next, publisher);
        String signed = frozen.log.checkpoint(3);
        String cosignature = cosign(0, signed);

        Mirrors.await("the peer to be reported stale", DEADLINE,
                () -> "stale".equals(Mirrors.peer(mirror, frozen.url()).getString("state")));
        JsonObject stale = Mirrors.peer(mirror, frozen.url());
        assertThat(stale.getString("status")).isEqualTo("trusted");
        assertThat(stale.getLong("lagEntries")).isZero();
        JsonObject witnessed = stale.getJsonObject("witnessed");
        assertThat(witnessed.getLong("size")).isEqualTo(3);
        assertThat(stale.getString("stateReason")).isEqualTo("served checkpoint of size 2, but this node cosigned size 3 "
                + "of that log at " + witnessed.getString("at"));
        FederationTest.Cli peers = FederationTest.grove("peers", "--registry", Mirrors.url(mirror));
        assertThat(peers.exit()).as(peers.toString()).isZero();
        assertThat(peers.out()).contains("stale").contains("served checkpoint of size 2, but this node cosigned size 3");

        // it serves the newer checkpoint, with the witness's cosignature: caught up, the cosignature's time shown
        frozen.checkpoint = signed + cosignature;
        Mirrors.await("the peer to be caught up again", DEADLINE, () -> Mirrors.findPeer(mirror, frozen.url())
                .filter(p -> "caught-up".equals(p.getString("state")) && p.getLong("servedSize") == 3).isPresent());
        JsonObject caughtUp = Mirrors.peer(mirror, frozen.url());
        long claimed = dev.grove.note.Cosignature.parse(Note.parse(signed + cosignature).signatures().get(1)).timestamp();
        assertThat(caughtUp.getJsonObject("checkpoint").getString("cosignedAt"))
                .isEqualTo(java.time.Instant.ofEpochSecond(claimed).toString());
        TransportFaultsTest.assertProven(http, frozen, "frozen/model@1.1.0");
    }

    @Test
    void aLogFollowedAgainUnderAnotherUrl_isAFaultLoggedOnce() throws Exception {
        Node first = TestNode.start(vertx, Mirrors.following(dataTwice, twice.url()), Features::all);
        NodeConfig config = first.config();
        synced(first, twice);
        TestNode.await(first.stop());

        String otherUrl = twice.url().replace("127.0.0.1", "localhost");
        Logger logger = (Logger) LoggerFactory.getLogger("dev.grove");
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        logger.addAppender(events);
        Node again = null;
        try {
            // started again on the same database, following the same log under another URL too
            again = TestNode.start(vertx, config.withPeers(List.of(twice.url(), otherUrl)), Features::all);
            Node node = again;
            Mirrors.await("the second URL to show its fault, after several rounds", DEADLINE, () -> Mirrors.findPeer(
                    node, otherUrl).map(p -> p.getJsonObject("fault")).filter(f -> f != null
                    && f.getInteger("attempts") >= 4).isPresent());
            JsonObject peer = Mirrors.peer(again, otherUrl);
            assertThat(peer.getString("state")).isEqualTo("faulty");
            assertThat(peer.getString("status")).isEqualTo("trusted");
            assertThat(peer.getJsonObject("fault").getString("kind")).isEqualTo("origin-conflict");
            assertThat(peer.getJsonObject("fault").getString("reason")).startsWith("log " + twice.origin()
                    + " is already followed through URL " + twice.url());
            FederationTest.Cli peers = FederationTest.grove("peers", "--registry", Mirrors.url(again));
            assertThat(peers.out()).contains("is already followed through URL " + twice.url());
            // the first URL keeps working
            TestPackage next = TransportFaultsTest.pkg("twice/model", "1.1.0");
            twice.publish(next, publisher);
            synced(again, twice);
            TransportFaultsTest.assertProven(new NodeHttp(again.port()), twice, "twice/model@1.1.0");
        } finally {
            if (again != null) {
                TestNode.await(again.stop());
            }
            logger.detachAppender(events);
        }
        List<ILoggingEvent> aboutIt = events.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)
                && e.getFormattedMessage().contains(otherUrl)).toList();
        assertThat(aboutIt).as("warnings about the second URL").hasSize(1);
        assertThat(aboutIt.get(0).getFormattedMessage()).contains("is already followed through URL " + twice.url());
        assertThat(events.list).as("no stack trace from following").filteredOn(e -> e.getLoggerName()
                .startsWith("dev.grove.node.mirror")).allMatch(e -> e.getThrowableProxy() == null);
        assertThat(events.list).noneMatch(e -> e.getFormattedMessage().contains("duplicate key"));
    }
}
