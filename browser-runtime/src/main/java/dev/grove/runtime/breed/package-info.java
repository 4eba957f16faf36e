/**
 * Breeding operators over model weights: {@link dev.grove.runtime.breed.Quantize} (int8 per output channel),
 * {@link dev.grove.runtime.breed.Merge} (weighted average of same-architecture parents), {@link dev.grove.runtime.breed.Prune}
 * (magnitude pruning per layer), {@link dev.grove.runtime.breed.FineTune} (continued training) and
 * {@link dev.grove.runtime.breed.Distill} (a student trained on a teacher's softened outputs).
 *
 * <p>Each takes parents as an {@link dev.grove.runtime.model.Architecture} and its safetensors weights and returns a
 * {@link dev.grove.runtime.breed.Bred} child: its architecture and weights file. Quantize, merge and prune are pure
 * functions of their inputs and parameters, computed in float in a fixed order, so a registry node re-runs them
 * ({@link dev.grove.runtime.breed.Reproduction}) to check a published lineage claim tensor by tensor. Their lineage
 * parameters are typed here ({@link dev.grove.runtime.breed.QuantizeParams}, {@link dev.grove.runtime.breed.MergeParams},
 * {@link dev.grove.runtime.breed.PruneParams}, with {@code parse} and {@code toJson}), so the command that writes them and
 * the node that reads them back share one format. Package documents
 * (contract, lineage and evaluation cards) are written by the {@code grove breed} command, not here.
 */
package dev.grove.runtime.breed;
