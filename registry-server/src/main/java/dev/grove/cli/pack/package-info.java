/**
 * A package directory on disk and what the client checks and writes of it: reading
 * ({@link dev.grove.cli.pack.PackageDirectory}), sealing and signing ({@link dev.grove.cli.pack.PackageSealer}),
 * verifying ({@link dev.grove.cli.pack.PackageVerifier}, {@link dev.grove.cli.pack.VerificationException}), contract
 * pins and the indented JSON the client shows.
 */
package dev.grove.cli.pack;
