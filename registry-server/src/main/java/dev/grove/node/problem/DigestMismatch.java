package dev.grove.node.problem;

import dev.grove.crypto.Sha256;
import java.util.Objects;

/** Bytes that do not hash to the digest they were sent under. */
public final class DigestMismatch extends NodeFailure {

    private final Sha256 expected;
    private final Sha256 actual;

    public DigestMismatch(Sha256 expected, Sha256 actual, long size) {
        super("the uploaded bytes do not match their digest: expected " + expected + ", actual " + actual + " (" + size
                + " bytes)", null);
        this.expected = Objects.requireNonNull(expected, "expected");
        this.actual = Objects.requireNonNull(actual, "actual");
    }

    public Sha256 expected() {
        return expected;
    }

    public Sha256 actual() {
        return actual;
    }
}
