/**
 * Reads of published packages: the version rows a publish or a mirror writes ({@link dev.grove.node.packages.VersionRows}),
 * the rendered version and package documents ({@link dev.grove.node.packages.VersionDocuments}) and their routes
 * ({@code GET /v1/packages/...}, {@code /v1/digests/...}). It uses lineage and release results; those packages do not
 * use it back.
 */
package dev.grove.node.packages;
