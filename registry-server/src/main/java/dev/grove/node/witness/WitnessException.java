package dev.grove.node.witness;

import java.util.OptionalLong;

/**
 * An add-checkpoint request the witness refuses, with the HTTP status c2sp.org/tlog-witness prescribes: 400 malformed or
 * old size above the checkpoint size, 403 no valid signature by a trusted key, 404 unknown origin, 409 old size not the
 * latest cosigned size or same size with another root ({@link #knownSize()} is then the witness's size), 422 consistency
 * proof that does not verify.
 */
public final class WitnessException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final long knownSize;

    private WitnessException(int status, String message, long knownSize) {
        super(message, null, false, false);
        this.status = status;
        this.knownSize = knownSize;
    }

    static WitnessException badRequest(String message) {
        return new WitnessException(400, message, -1);
    }

    static WitnessException forbidden(String message) {
        return new WitnessException(403, message, -1);
    }

    static WitnessException unknownLog(String message) {
        return new WitnessException(404, message, -1);
    }

    static WitnessException conflict(String message, long knownSize) {
        return new WitnessException(409, message, knownSize);
    }

    static WitnessException badProof(String message) {
        return new WitnessException(422, message, -1);
    }

    public int status() {
        return status;
    }

    /** For a 409: the size of the latest checkpoint the witness cosigned for the origin (0 when none). */
    public OptionalLong knownSize() {
        return knownSize < 0 ? OptionalLong.empty() : OptionalLong.of(knownSize);
    }
}
