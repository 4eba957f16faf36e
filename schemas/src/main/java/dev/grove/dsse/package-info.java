/**
 * DSSE v1 envelopes (https://github.com/secure-systems-lab/dsse): parsing ({@link dev.grove.dsse.Envelope}) is separate
 * from verifying ({@link dev.grove.dsse.EnvelopeVerifier}); the pre-authentication encoding uses byte lengths.
 */
package dev.grove.dsse;
