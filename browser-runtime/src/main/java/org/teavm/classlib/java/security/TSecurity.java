package org.teavm.classlib.java.security;

/**
 * TeaVM class-library stand-in for {@code java.security.Security}, which TeaVM 0.15.0 lacks. BouncyCastle's
 * {@code Ed25519} and {@code SHA256Digest} read optional tuning properties through {@code Security.getProperty}; in the
 * browser there are none. TeaVM maps {@code java.security.Security} to this class by name; on the JVM it is never used.
 */
public final class TSecurity {
    private TSecurity() {
    }

    public static String getProperty(String key) {
        return null;
    }
}
