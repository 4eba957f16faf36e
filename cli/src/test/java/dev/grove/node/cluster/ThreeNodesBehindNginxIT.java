package dev.grove.node.cluster;

/** {@link ThreeNodesBehindNginx} on one machine: the three processes share one data directory (blobs and secrets). */
class ThreeNodesBehindNginxIT extends ThreeNodesBehindNginx {

    @Override
    NodeCluster.ClusterStorage storage() {
        return new NodeCluster.SharedDirectory();
    }
}
