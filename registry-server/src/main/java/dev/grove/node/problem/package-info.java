/**
 * The node's domain failures: one sealed hierarchy, {@link dev.grove.node.problem.NodeFailure}, with one final class per
 * concern (an invalid document, a signature that does not verify, a forbidden signer, a digest mismatch, an interrupted
 * upload, not found, a conflict, an immutable version, an ambiguous name, too large, a missing artifact, an incompatible
 * release, a lineage claim that does not reproduce, a refused anonymous report). Features (publish, yank, namespaces, blobs, lineage, documents,
 * packages, the log, reports) throw or fail futures with these, each with a precise message and its cause, and know nothing of
 * HTTP. One package rather than one hierarchy per feature because several features share a concern (a forbidden signer
 * is the same refusal for a publish, a yank and a keyset change) and because a sealed hierarchy must live in one package
 * outside a named module. {@code dev.grove.node.http.ProblemFailureHandler} alone maps each class to its status and to an
 * RFC 9457 problem; the problem type stays {@code about:blank} with the status's title, since the status names the
 * kind, and the message is the detail.
 */
package dev.grove.node.problem;
