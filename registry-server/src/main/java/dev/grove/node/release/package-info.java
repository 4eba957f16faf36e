/**
 * Evidence-based release (docs/protocol.md, "Release"): the policy ({@link dev.grove.node.release.ReleasePolicy}), the
 * rule that turns a version's evidence into a status ({@link dev.grove.node.release.ReleaseRule}), the evaluator that
 * applies it to every version of the node each interval and records each change as a signed decision in the node's log
 * ({@link dev.grove.node.release.ReleaseEvaluator}, the feature's job, run once per node), the reads of a version's
 * release state and their SQL ({@link dev.grove.node.release.ReleaseReads}), and the route that explains a version's
 * evaluation. {@link dev.grove.node.release.Release} assembles it for one node.
 */
package dev.grove.node.release;
