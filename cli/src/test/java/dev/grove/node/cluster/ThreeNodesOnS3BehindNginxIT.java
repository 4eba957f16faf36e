package dev.grove.node.cluster;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ThreeNodesBehindNginx} as on several machines: each process its own data directory (the secret files copied
 * from the first), the blobs in one bucket of an S3 API server on loopback.
 */
class ThreeNodesOnS3BehindNginxIT extends ThreeNodesBehindNginx {

    @TempDir
    Path buckets;

    @Override
    NodeCluster.ClusterStorage storage() {
        return NodeCluster.S3Bucket.start(buckets);
    }
}
