package dev.grove.dsse;

import dev.grove.crypto.KeyId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** An envelope whose payload type was checked and that the listed trusted keys signed (each once, in envelope order). */
public record VerifiedEnvelope(Envelope envelope, List<KeyId> signers) {
    public VerifiedEnvelope {
        signers = Collections.unmodifiableList(new ArrayList<>(signers));
    }

    /** A copy of the verified payload bytes. */
    public byte[] payload() {
        return envelope.payload();
    }
}
