package dev.grove.node.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.node.Features;
import dev.grove.node.Node;
import dev.grove.node.documents.DocumentSchemas;
import dev.grove.node.log.NodeLog;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.TestNode;
import dev.grove.node.testing.TestPackage;
import dev.grove.pkg.ParsedBundle;
import dev.grove.pkg.VerifiedPackage;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A publish reads each document of the bundle with the strict reader once and hands the parsed documents on: its
 * claimed name, the signatures against the keyset, the re-check of the copy it serves and its log entry all use them.
 */
class PublishParsesOnceTest {

    @TempDir
    static Path data;
    static Vertx vertx;
    static Node node;
    static NodeHttp http;
    static PackagePublisher publisher;
    static final Ed25519PrivateKey KEY = Ed25519PrivateKey.generate();

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        node = TestNode.start(vertx, data, Features::all);
        http = new NodeHttp(node.port());
        publisher = new PackagePublisher(vertx, node.pool(), node.blobs(), DocumentSchemas.load(),
                NodeLog.open(node.services()).appender());
    }

    @AfterAll
    static void stop() {
        TestNode.stop(node, vertx);
    }

    @Test
    void aNewVersionAndItsRetryParseEachDocumentOnce() {
        TestPackage pkg = TestPackage.builder("parse/model", "1.0.0").build(KEY);
        assertThat(http.putBlob(pkg.weights()).status()).isEqualTo(201);
        byte[] body = pkg.bundleJson().getBytes(StandardCharsets.UTF_8);

        Seen created = new Seen();
        PublishOutcome first = TestNode.await(publisher.publish(body, created));
        assertThat(first.created()).isTrue();
        assertThat(first.digest()).isEqualTo(pkg.digest());
        created.assertParsedOnceAndHandedOn();

        Seen retried = new Seen();
        PublishOutcome again = TestNode.await(publisher.publish(body, retried));
        assertThat(again.created()).isFalse();
        retried.assertParsedOnceAndHandedOn();
    }

    /** The documents a publish parsed and those it verified. */
    static final class Seen implements PackagePublisher.Steps {
        final AtomicReference<ParsedBundle> parsed = new AtomicReference<>();
        final AtomicReference<VerifiedPackage> verified = new AtomicReference<>();

        @Override
        public void parsed(ParsedBundle bundle) {
            parsed.set(bundle);
        }

        @Override
        public void verified(VerifiedPackage pkg) {
            verified.set(pkg);
        }

        void assertParsedOnceAndHandedOn() {
            ParsedBundle bundle = parsed.get();
            VerifiedPackage pkg = verified.get();
            assertThat(pkg.contract()).isSameAs(bundle.contract());
            assertThat(pkg.lineage()).isSameAs(bundle.lineage());
            assertThat(pkg.evaluation()).isSameAs(bundle.evaluation());
            assertThat(bundle.parses()).isEqualTo(3);   // the contract, the lineage card, the evaluation card
        }
    }
}
