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
        publisher = new PackagePublisher(node.pool(), node.blobs(), DocumentSchemas.load(),
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

        AtomicReference<ParsedBundle> parsed = new AtomicReference<>();
        PublishOutcome created = TestNode.await(publisher.publish(body, parsed::set));
        assertThat(created.created()).isTrue();
        assertThat(created.digest()).isEqualTo(pkg.digest());
        assertThat(parsed.get().parses()).isEqualTo(3);

        AtomicReference<ParsedBundle> again = new AtomicReference<>();
        PublishOutcome retried = TestNode.await(publisher.publish(body, again::set));
        assertThat(retried.created()).isFalse();
        assertThat(again.get().parses()).isEqualTo(3);
    }
}
