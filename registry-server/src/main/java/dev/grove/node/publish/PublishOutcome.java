package dev.grove.node.publish;

import dev.grove.crypto.KeyId;
import dev.grove.crypto.Sha256;
import dev.grove.pkg.PackageName;

import java.util.List;

/**
 * What a publish did.
 *
 * @param created false when the identical bundle was already published (an idempotent retry)
 */
public record PublishOutcome(PackageName name, String version, Sha256 digest, List<KeyId> signers, boolean created) {

    public String ref() {
        return name + "@" + version;
    }
}
