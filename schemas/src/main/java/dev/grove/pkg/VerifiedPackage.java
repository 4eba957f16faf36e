package dev.grove.pkg;

import dev.grove.crypto.KeyId;
import dev.grove.crypto.Sha256;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A package whose three documents are signed by trusted keys and pin each other. {@code digest} is the package digest;
 * {@code signers} are the distinct trusted keys that signed any of the three envelopes (contract's first).
 */
public record VerifiedPackage(Contract contract, LineageCard lineage, EvaluationCard evaluation, Sha256 digest,
        List<KeyId> signers) {
    public VerifiedPackage {
        signers = Collections.unmodifiableList(new ArrayList<>(signers));
    }
}
