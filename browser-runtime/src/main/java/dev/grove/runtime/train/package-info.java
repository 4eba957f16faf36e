/**
 * Deterministic training of op-set v1 {@link dev.grove.runtime.model.Mlp} models, on the JVM only (the browser build
 * never calls it): a seeded initialisation, a seeded mini-batch order, float math in a fixed order and no threads, so
 * the same data, configuration and seed give byte-identical weights on every run.
 *
 * <p>{@link dev.grove.runtime.train.Dataset} reads {@code label TAB text} lines; {@link dev.grove.runtime.train.MlpTrainer}
 * trains with cross-entropy (hard labels or soft targets with a temperature, for distillation) and Adam, reports each
 * epoch to a {@link dev.grove.runtime.train.TrainingProgress} and writes safetensors;
 * {@link dev.grove.runtime.train.Evaluation} measures a loaded {@link dev.grove.runtime.model.Model} on held-out data,
 * overall and per label, through the runtime's own inference path.
 */
package dev.grove.runtime.train;
