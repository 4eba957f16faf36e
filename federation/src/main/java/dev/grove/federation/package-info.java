/**
 * Following another node's log: the pure decisions a mirror makes, with no I/O. Given the last checkpoint it verified
 * and what a peer now serves (a signed checkpoint, a consistency proof, entry bundles, hash tiles), the classes here
 * decide whether to accept it, refuse it for a {@link dev.grove.federation.Fault} (bytes that do not match the signed
 * tree, a note that does not verify, an old checkpoint: nothing that proves the log's key holder lied), or name a broken
 * rule, which becomes {@link dev.grove.federation.Evidence} once its proofs are collected.
 *
 * <ul>
 *   <li>{@link dev.grove.federation.CheckpointFollower}: signature, and whether two verified checkpoints are
 *       consistent (RFC 9162 §2.1.4), a proven fork, or compared with hashes that prove nothing.</li>
 *   <li>{@link dev.grove.federation.EntryBundleCheck}: an entry bundle's leaves are the level-0 tile's hashes and the
 *       tree they sit in hashes to the checkpoint's root (c2sp.org/tlog-tiles).</li>
 *   <li>{@link dev.grove.federation.EntryVerifier}: each entry's signed statements ({@code keyset/v1}, {@code package/v1},
 *       {@code yank/v1}) against the origin namespace's keyset, and {@code decision/v1} against the log's own key.</li>
 *   <li>{@link dev.grove.federation.EvidenceCheck}: checks evidence offline with nothing but the log's key.</li>
 * </ul>
 *
 * Only a {@link dev.grove.federation.Misbehaviour}, carrying evidence that {@code EvidenceCheck} accepts, quarantines a
 * peer; everything else is a fault, retried.
 */
package dev.grove.federation;
