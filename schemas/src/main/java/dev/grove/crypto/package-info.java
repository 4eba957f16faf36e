/**
 * SHA-256 digests and Ed25519 keys as small immutable values, built on BouncyCastle's low-level classes
 * ({@code SHA256Digest}, {@code rfc8032.Ed25519}) so that the same code runs on the JVM and under TeaVM in the browser.
 *
 * <p>Value parsers ({@code parse}, {@code fromBytes}, {@code fromBase64}) throw {@link java.lang.IllegalArgumentException}
 * with the offending text.
 */
package dev.grove.crypto;
