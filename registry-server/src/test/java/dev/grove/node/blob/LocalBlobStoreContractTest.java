package dev.grove.node.blob;

import dev.grove.crypto.Sha256;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/** The blob store contract on the local store, in a directory. */
class LocalBlobStoreContractTest extends BlobStoreContract {

    @TempDir
    Path dir;

    @Override
    Future<BlobStore> open(Vertx vertx) {
        return BlobStores.local(vertx, dir);
    }

    /** Every file that is not a finished blob: temporary upload files, or anything else. */
    @Override
    List<String> leftovers() throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(p -> !isBlob(p)).map(Path::toString).toList();
        }
    }

    @Override
    Set<Sha256> stored() throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(LocalBlobStoreContractTest::isBlob)
                    .map(p -> Sha256.parse("sha256:" + p.getFileName())).collect(Collectors.toSet());
        }
    }

    private static boolean isBlob(Path p) {
        String name = p.getFileName().toString();
        return name.matches("[0-9a-f]{64}") && p.getParent().getFileName().toString().equals(name.substring(0, 2));
    }

    @Override
    int partBytes() {
        return S3BlobStore.PART_BYTES;
    }
}
