/**
 * Lineage: {@link dev.grove.node.lineage.LineageReproduction} re-runs a deterministic breeding claim (quantize, merge,
 * prune) on the parents' weights before a publish, failing with {@code LineageNotReproduced} when the claim is false;
 * {@link dev.grove.node.lineage.LineageRoutes} serves the lineage graph that {@code LineageGraphs} reads.
 */
package dev.grove.node.lineage;
