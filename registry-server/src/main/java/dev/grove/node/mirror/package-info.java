/**
 * Following and mirroring other nodes: the peers a node follows
 * ({@code NodeConfig.peers()}, {@link dev.grove.node.mirror.PeerSpec}), the followers that check each peer's log and copy
 * what it proves, entry by entry, with the blobs, the peers' state and the evidence of what they were caught doing
 * ({@link dev.grove.node.mirror.PeerStore}), and the routes that serve the mirrored packages and logs under
 * {@code /v1/peers} and {@code /v1/origins/}. {@link dev.grove.node.mirror.Mirroring} assembles it for one node; its
 * followers are the feature's job, run once per node while the node runs.
 */
package dev.grove.node.mirror;
