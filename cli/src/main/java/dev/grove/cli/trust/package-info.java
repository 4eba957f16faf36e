/**
 * What the CLI trusts, and how it never accepts less: pinned log keys ({@code known-logs}), the largest checkpoint verified
 * of each log (every later one must be consistent with it), and the checks a pulled version or a package directory goes
 * through, all by the one verifier of {@code dev.grove.verify}.
 */
package dev.grove.cli.trust;
