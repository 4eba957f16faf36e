/**
 * Release status: the rule ({@link dev.grove.node.release.ReleaseRule}, {@link dev.grove.node.release.ReleasePolicy})
 * that promotes a version from the evidence about it, the evaluator that applies it and logs signed decisions, the reads
 * of a version's release state and their SQL ({@link dev.grove.node.release.ReleaseReads}), and the route that explains
 * a version's evaluation.
 */
package dev.grove.node.release;
