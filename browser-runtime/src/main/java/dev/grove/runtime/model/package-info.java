/**
 * Model architectures of op-set v1 and their loading: an {@link dev.grove.runtime.model.Architecture} (from a flat
 * string configuration that a package's contract carries) fixes the tensors, dtypes and shapes a safetensors file must
 * hold; {@link dev.grove.runtime.model.Model#load} checks them all, naming the first one that does not fit, and
 * {@link dev.grove.runtime.model.Model#predict} turns a text into class probabilities.
 *
 * <p>Weight naming follows {@code <layer>.weight} / {@code <layer>.bias} (and {@code <layer>.scale} for int8 weights),
 * with dense matrices stored {@code [in, out]}; see {@link dev.grove.runtime.model.Mlp} and
 * {@link dev.grove.runtime.model.TinyTransformer} for the full lists.
 */
package dev.grove.runtime.model;
