package dev.grove.federation;

import dev.grove.crypto.Ed25519PublicKey;
import dev.grove.crypto.KeyId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The keyset of one namespace of a peer's log, as the mirror has verified it from that log's {@code keyset/v1} entries.
 *
 * @param namespace the namespace within the peer's origin
 * @param sequence  1 for the binding, one more for each signed change
 * @param keys      the keys, by id
 */
public record OriginKeyset(String namespace, long sequence, Map<KeyId, Ed25519PublicKey> keys) {
    public OriginKeyset {
        keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
    }
}
