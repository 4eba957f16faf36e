/**
 * The one verifier every client uses (the {@code grove} command, the browser runtime, a mirror's readers): a version
 * document is parsed ({@link dev.grove.verify.VersionDocument}), then verified under an explicit
 * {@link dev.grove.verify.TrustPolicy} by {@link dev.grove.verify.VersionVerifier}, which returns a
 * {@link dev.grove.verify.VerifiedVersion} or throws one precise {@link dev.grove.verify.Refusal}.
 *
 * <p>The policy always names the origin's log key: there is no "unlogged" mode to fall back to, so a document stripped
 * of its proof is refused, never accepted with a warning. Pure Java (no reflection, no Jackson), compiled by TeaVM for
 * the browser.
 */
package dev.grove.verify;
