package dev.grove.node.cluster;

import java.io.IOException;

/**
 * {@link ThreeNodesBehindNginx} as on several machines: each process its own data directory (the secret files copied
 * from the first), the blobs in one bucket of an S3 API server on loopback.
 */
class ThreeNodesOnS3BehindNginxIT extends ThreeNodesBehindNginx {

    @Override
    NodeCluster.ClusterStorage storage() throws IOException {
        return NodeCluster.S3Bucket.start();
    }
}
