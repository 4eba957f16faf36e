/**
 * Transparency log checkpoints (https://c2sp.org/tlog-checkpoint): the signed-note body {@code <origin>\n<size>\n<base64
 * root hash>\n[extension lines]}. {@link dev.grove.checkpoint.Checkpoint#parse} only parses the body;
 * {@link dev.grove.checkpoint.CheckpointVerifier} verifies the log's signature (and witnesses' cosignatures) and returns
 * the checkpoint. Pure Java for TeaVM.
 */
package dev.grove.checkpoint;
