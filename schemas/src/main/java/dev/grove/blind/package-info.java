/**
 * RSA blind signatures, RFC 9474 (https://www.rfc-editor.org/rfc/rfc9474), suite {@code RSABSSA-SHA384-PSS-Randomized}:
 * SHA-384, MGF1 with SHA-384, a 48-byte PSS salt and a 32-byte random message prefix.
 *
 * <p>{@link BlindRsa} holds the protocol's steps: the client prepares and blinds a message, the signer blind-signs it
 * without seeing it, the client finalizes (unblinds and verifies) and later anyone verifies the signature. The signer
 * cannot link a signature it verifies to the blinding it signed.
 *
 * <p>Pure Java on BouncyCastle's lightweight API ({@code SHA384Digest}, {@code MGF1BytesGenerator}) and {@link java.math.BigInteger},
 * without reflection, {@code MessageDigest} or {@code SecureRandom} on the client's path: the randomness comes from the
 * caller as a {@link RandomBytes}, so the same code runs under TeaVM in the browser (with {@code crypto.getRandomValues}).
 * Failures of the protocol throw {@link BlindSignatureException}; malformed keys throw
 * {@link java.lang.IllegalArgumentException} with the offending value.
 */
package dev.grove.blind;
