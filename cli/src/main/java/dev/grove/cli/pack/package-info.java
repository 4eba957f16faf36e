/**
 * A package directory on disk: scaffolding, sealing (signing the bundle) and verifying it, refusing what must not be
 * trusted with {@link dev.grove.cli.pack.VerificationException} naming the first check that failed and keeping its cause.
 */
package dev.grove.cli.pack;
