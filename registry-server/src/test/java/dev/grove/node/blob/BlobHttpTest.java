package dev.grove.node.blob;

import dev.grove.crypto.Sha256;
import dev.grove.node.testing.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@code /v1/blobs/:digest} over real HTTP on a node whose blobs are in its data directory. */
class BlobHttpTest extends BlobHttpContract {

    @BeforeAll
    static void start() {
        start(TestNode.config(data));
    }

    @AfterAll
    static void stop() {
        TestNode.stop(node, vertx);
    }

    @Override
    Optional<byte[]> stored(Sha256 digest) throws Exception {
        Path file = node.config().blobDir().resolve("sha256").resolve(digest.hex().substring(0, 2)).resolve(digest.hex());
        return Files.exists(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
    }

    /** Temporary upload files. */
    @Override
    List<String> temporaryFiles() throws Exception {
        try (Stream<Path> files = Files.walk(node.config().blobDir())) {
            return files.filter(p -> p.getFileName().toString().startsWith(".upload-")).map(Path::toString).toList();
        }
    }
}
