/**
 * Lineage claims on the node: {@link dev.grove.node.lineage.LineageReproduction} re-runs a deterministic breeding
 * operator (quantize, merge, prune, with the typed parameters of {@code dev.grove.runtime.breed}) on the parents'
 * weights before a publish or a mirror accepts the child, and {@link dev.grove.node.lineage.LineageRoutes} serves the
 * lineage graph.
 */
package dev.grove.node.lineage;
