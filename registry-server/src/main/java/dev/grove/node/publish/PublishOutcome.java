package dev.grove.node.publish;

import dev.grove.crypto.KeyId;
import dev.grove.crypto.Sha256;
import dev.grove.pkg.PackageName;

import java.util.List;
import java.util.OptionalLong;

/**
 * What a publish did.
 *
 * @param created  false when the identical bundle was already published (an idempotent retry)
 * @param repaired true when the stored copy lacked its signers' keys and this publish supplied them
 * @param logIndex   the index of the log entry that records the version (empty for a version published before the
 *                   node kept a log, and while {@code logPending})
 * @param logPending true when the entry is committed (durable) but the sequencer gave it no index within its bound
 */
public record PublishOutcome(PackageName name, String version, Sha256 digest, List<KeyId> signers, boolean created,
                             boolean repaired, OptionalLong logIndex, boolean logPending) {

    public String ref() {
        return name + "@" + version;
    }
}
