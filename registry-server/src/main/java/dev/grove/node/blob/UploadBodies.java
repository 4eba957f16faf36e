package dev.grove.node.blob;

import dev.grove.node.problem.UploadInterrupted;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** What every store does alike with an upload's body: hash it on the way, and say how it failed. */
final class UploadBodies {

    private UploadBodies() {
    }

    /** A fresh SHA-256 for one body. */
    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** A body that failed before its end (a stall, broken framing, a closed connection), its failure the cause. */
    static UploadInterrupted interrupted(Throwable e) {
        return e instanceof UploadInterrupted u ? u : new UploadInterrupted(e);
    }
}
