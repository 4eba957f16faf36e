/**
 * Breeding on the client: {@code grove breed} (quantize, merge, prune, fine-tune, distill) and {@code grove garden},
 * the {@link dev.grove.cli.breed.Breeding} that runs the operators of {@code dev.grove.runtime.breed} on parent
 * packages and writes the child package ({@link dev.grove.cli.breed.PackageWriter}, model, lineage and evaluation
 * cards), and {@link dev.grove.cli.breed.Scaffold}, the trained starter packages of {@code grove init}. The lineage
 * parameters it writes are the typed records of {@code dev.grove.runtime.breed}, which a node reads back.
 */
package dev.grove.cli.breed;
