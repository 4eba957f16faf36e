/**
 * The node's transparency log (docs/transparency-log.md): an append-only RFC 9162 Merkle log of every statement the node
 * accepts, served as C2SP tlog-tiles with C2SP signed checkpoints. The format layer is {@code grove-federation}
 * ({@code dev.grove.tlog}, {@code dev.grove.note}, {@code dev.grove.checkpoint}, {@code dev.grove.logentry}); this
 * package stores the log in PostgreSQL and serves it.
 *
 * <ul>
 *   <li>{@link dev.grove.node.log.LogAppender}: appends an entry inside the caller's transaction (both or neither).</li>
 *   <li>{@link dev.grove.node.log.Integrator}: a background task that turns committed entries into hash tiles and a signed
 *       checkpoint, at most {@link dev.grove.node.log.LogSettings#interval()} after they commit.</li>
 *   <li>{@link dev.grove.node.log.LogReader}: the latest checkpoint, tiles, entry bundles and proofs.</li>
 *   <li>{@link dev.grove.node.log.LogRoutes}: the HTTP side ({@code /log/...}, {@code /v1/log/...},
 *       {@code /.well-known/grove/...}).</li>
 *   <li>{@link dev.grove.node.log.NodeLog}: builds the above for one node from its services; as a feature, its routes
 *       and the integrator as its job, run once per node.</li>
 * </ul>
 *
 * The tables ({@code log_entries}, {@code log_tiles}, {@code log_checkpoints}) are created by {@code V002__log.sql}.
 */
package dev.grove.node.log;
