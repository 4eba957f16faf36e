package dev.grove.node.blob;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;

/** Factories of {@link BlobStore}s. */
public final class BlobStores {

    private BlobStores() {
    }

    /**
     * A store in a local directory: {@code <dir>/sha256/<first two hex digits>/<64 hex digits>}. Creates the directory and
     * removes temporary files left by a crash (on a worker thread) before the future succeeds.
     */
    public static Future<BlobStore> local(Vertx vertx, Path dir) {
        LocalBlobStore store = new LocalBlobStore(vertx, dir.toAbsolutePath().normalize());
        return store.prepare().map(v -> store);
    }
}
