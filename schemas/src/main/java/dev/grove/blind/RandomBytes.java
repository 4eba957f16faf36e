package dev.grove.blind;

/**
 * A source of cryptographically secure random bytes, supplied by the caller: {@code SecureRandom::nextBytes} on the JVM,
 * {@code crypto.getRandomValues} in the browser. Blinding is only as unlinkable as these bytes are unpredictable.
 */
@FunctionalInterface
public interface RandomBytes {

    /** Fills {@code out} with fresh random bytes. */
    void fill(byte[] out);
}
