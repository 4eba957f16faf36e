/**
 * Following and mirroring other nodes: the peers a node follows (its configured peers,
 * {@link dev.grove.node.mirror.PeerSpec}), the followers that check each peer's log and copy what it proves, entry by
 * entry, with the blobs ({@link dev.grove.node.mirror.PeerFollower}, one per source, run in turn per log by a
 * {@link dev.grove.node.mirror.LogFollower}), the peers' state and the evidence of what they were caught doing
 * ({@link dev.grove.node.mirror.PeerStore}), and the routes that serve the mirrored packages and logs under
 * {@code /v1/peers} and {@code /v1/origins/:origin/} ({@link dev.grove.node.mirror.MirrorRoutes}, one sub-router of
 * reads per origin). {@link dev.grove.node.mirror.Mirroring} assembles it for one node; its followers are
 * the feature's job, run once per node while the node runs. Threads: the followers run on
 * the event loop of one standard verticle ({@link dev.grove.node.mirror.Mirror}), where they only sequence the work:
 * HTTP reads of the peer ({@link dev.grove.node.mirror.PeerClient}, bounded while the bytes stream), database reads and
 * writes, timers. Everything that checks what a peer served, the signatures of checkpoints, entries and evidence, the
 * entry bundles against the level-0 tiles and the signed root, the tile hashing of consistency and inclusion proofs,
 * runs on worker threads ({@link dev.grove.node.mirror.PeerChecks}: {@code executeBlocking}, unordered, the follower's
 * chain of futures keeps the order), and so
 * does the re-run of a mirrored package's lineage claim ({@code LineageReproduction}); {@code
 * grove_mirror_verifications_total{thread}} counts the checks by the thread that ran them. The routes run on the
 * registry verticles' event loops and only read the database.
 */
package dev.grove.node.mirror;
