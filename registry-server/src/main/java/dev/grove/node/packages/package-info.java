/**
 * Package versions as stored and served: {@link dev.grove.node.packages.VersionRows} writes the rows of a version (its own
 * or mirrored), {@link dev.grove.node.packages.VersionDocuments} reads and renders version documents (failing with
 * {@code NotFound}, {@code AmbiguousName}), and {@link dev.grove.node.packages.PackageRoutes} is the HTTP side of
 * {@code /v1/packages/...} and {@code /v1/digests/...}.
 */
package dev.grove.node.packages;
