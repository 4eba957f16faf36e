package dev.grove.pkg;

import dev.grove.crypto.Ed25519PublicKey;
import dev.grove.crypto.KeyId;
import dev.grove.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A public key with its id, as carried in bundles and keysets; the id is checked against the key, never trusted. */
public record PublicKeyEntry(KeyId keyid, Ed25519PublicKey publicKey) {

    /** @throws IllegalArgumentException when the keyid is not the key's id */
    public PublicKeyEntry {
        if (keyid == null || publicKey == null) {
            throw new NullPointerException(keyid == null ? "keyid" : "publicKey");
        }
        if (!keyid.equals(publicKey.keyId())) {
            throw new IllegalArgumentException("keyid " + keyid + " does not match the public key (its keyid is "
                    + publicKey.keyId() + ")");
        }
    }

    public static PublicKeyEntry of(Ed25519PublicKey key) {
        return new PublicKeyEntry(key.keyId(), key);
    }

    public JsonObject toJson() {
        return JsonObject.builder().put("keyid", keyid.hex()).put("publicKey", publicKey.base64()).build();
    }

    /** The entries as a trusted-key map for verifiers, in order. */
    public static Map<KeyId, Ed25519PublicKey> toMap(List<PublicKeyEntry> entries) {
        Map<KeyId, Ed25519PublicKey> m = new LinkedHashMap<>();
        for (PublicKeyEntry e : entries) {
            m.put(e.keyid(), e.publicKey());
        }
        return m;
    }

    /** Reads a "keys" array: at most {@code max} entries, keyids unique and matching their keys. */
    static List<PublicKeyEntry> parseList(Node parent, String key, int max, boolean nonEmpty) {
        List<Node> nodes = parent.objects(key);
        if (nodes.size() > max) {
            throw parent.fail(key, "at most " + max + " keys are allowed, got " + nodes.size());
        }
        if (nonEmpty && nodes.isEmpty()) {
            throw parent.fail(key, "must not be empty");
        }
        List<PublicKeyEntry> out = new ArrayList<>(nodes.size());
        Set<KeyId> seen = new HashSet<>();
        for (Node n : nodes) {
            n.only("keyid", "publicKey");
            KeyId id = n.value("keyid", KeyId::parse);
            Ed25519PublicKey pk = n.value("publicKey", Ed25519PublicKey::fromBase64);
            if (!id.equals(pk.keyId())) {
                throw n.fail("keyid", "keyid " + id + " does not match the public key (its keyid is " + pk.keyId()
                        + ")");
            }
            if (!seen.add(id)) {
                throw n.fail("keyid", "duplicate keyid " + id);
            }
            out.add(new PublicKeyEntry(id, pk));
        }
        return out;
    }
}
