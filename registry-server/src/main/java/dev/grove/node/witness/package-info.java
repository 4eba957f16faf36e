/**
 * Witnessing between nodes, <a href="https://c2sp.org/tlog-witness">c2sp.org/tlog-witness</a>, in both roles.
 *
 * <p><b>As a witness</b> ({@link dev.grove.node.witness.Witness}, {@link dev.grove.node.witness.WitnessRoutes}): every
 * node has a witness key ({@code <host>/grove-witness}, Ed25519 cosignature/v1, kept in
 * {@code <dataDir>/witness-key.json}), published at {@code GET /.well-known/grove/witness-key}. It answers
 * {@code POST /witness/add-checkpoint} for the logs it knows ({@link dev.grove.node.witness.KnownLogs}), cosigning a
 * checkpoint only when it is consistent with the last one it cosigned for that origin, and keeps the evidence when a log
 * shows two histories.
 *
 * <p><b>As a log</b> ({@link dev.grove.node.witness.CosignatureCollector}): after the node's log issues a checkpoint, the
 * node asks each configured witness to cosign it, checks each cosignature with the witness's configured key, stores it,
 * and {@link dev.grove.node.witness.CosignatureStore} appends the collected cosignatures to the served checkpoint.
 *
 * <p>The formats (notes, cosignatures, checkpoints, consistency proofs) come from the pure-Java {@code grove-federation}
 * module; this package is the HTTP and SQL side.
 */
package dev.grove.node.witness;
