package dev.grove.pkg;

import dev.grove.json.JsonArray;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A namespace's new keyset ({@code grove.keyset/v1}), valid only when signed by the current keyset and numbered one past
 * it, so a replayed change fails.
 */
public record KeysetChange(String namespace, long sequence, List<PublicKeyEntry> keys) {
    public static final String SCHEMA = "grove.keyset/v1";
    /** Cap on keys in a keyset. */
    public static final int MAX_KEYS = 16;

    public KeysetChange {
        PackageName.checkNamespace(namespace);
        if (sequence < 1) {
            throw new IllegalArgumentException("keyset sequence must be at least 1, got " + sequence);
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a keyset needs at least one key");
        }
        keys = Collections.unmodifiableList(new ArrayList<>(keys));
    }

    /** @throws DocumentException with the JSON path of the first bad field */
    public static KeysetChange parse(byte[] payload) {
        Node root = Node.root(payload);
        root.expectSchema(SCHEMA);
        root.only("schema", "namespace", "sequence", "keys");
        String namespace = root.value("namespace", PackageName::checkNamespace);
        long sequence = root.integer("sequence");
        if (sequence < 1) {
            throw root.fail("sequence", "must be at least 1, got " + sequence);
        }
        List<PublicKeyEntry> keys = PublicKeyEntry.parseList(root, "keys", MAX_KEYS, true);
        return new KeysetChange(namespace, sequence, keys);
    }

    /** The document to sign. */
    public JsonObject toJson() {
        List<JsonValue> k = new ArrayList<>(keys.size());
        for (PublicKeyEntry e : keys) {
            k.add(e.toJson());
        }
        return JsonObject.builder()
                .put("schema", SCHEMA)
                .put("namespace", namespace)
                .put("sequence", sequence)
                .put("keys", JsonArray.of(k))
                .build();
    }
}
