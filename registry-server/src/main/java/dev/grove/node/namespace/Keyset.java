package dev.grove.node.namespace;

import dev.grove.crypto.Ed25519PublicKey;
import dev.grove.crypto.KeyId;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The keys allowed to sign for a namespace at one point in its history.
 *
 * @param namespace the namespace
 * @param sequence  1 for the binding made by the first publish, then one more for each signed change
 * @param keys      the keys, by key id
 */
public record Keyset(String namespace, long sequence, Map<KeyId, Ed25519PublicKey> keys) {

    public Keyset {
        keys = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(keys));
    }
}
