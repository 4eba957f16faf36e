/**
 * Following another node's log: the pure decisions a mirror makes, with no I/O. Given the last checkpoint it verified
 * and what a peer now serves (a signed checkpoint, a consistency proof, entry bundles, hash tiles), the classes here
 * decide whether to accept it, or name the misbehaviour and keep the conflicting signed statements as {@link
 * dev.grove.federation.Evidence}.
 *
 * <ul>
 *   <li>{@link dev.grove.federation.CheckpointFollower}: signature, rollback, fork (same size, different root) and
 *       consistency (RFC 9162 §2.1.4) between the last verified and a new checkpoint.</li>
 *   <li>{@link dev.grove.federation.EntryBundleCheck}: an entry bundle's leaves are the level-0 tile's hashes and the
 *       tree they sit in hashes to the checkpoint's root (c2sp.org/tlog-tiles).</li>
 *   <li>{@link dev.grove.federation.EntryVerifier}: each entry's signed statements ({@code keyset/v1}, {@code package/v1},
 *       {@code yank/v1}) against the origin namespace's keyset, and {@code decision/v1} against the log's own key.</li>
 * </ul>
 *
 * Every rejection is a {@link dev.grove.federation.Misbehaviour} carrying its evidence; the node quarantines the peer.
 */
package dev.grove.federation;
