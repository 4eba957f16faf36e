package dev.grove.pkg;

import dev.grove.crypto.Sha256;
import java.util.Optional;

/**
 * A parent cited by a lineage card, by package digest. {@code origin} (the node it lives on; absent means the node the
 * child is published on) and {@code ref} (a human-readable {@code ns/name@version}) are optional in the JSON, hence
 * {@link Optional} here.
 */
public record ParentRef(Sha256 digest, Optional<String> origin, Optional<String> ref) {
    public ParentRef {
        if (digest == null || origin == null || ref == null) {
            throw new NullPointerException("digest, origin and ref must not be null (use Optional.empty())");
        }
    }
}
