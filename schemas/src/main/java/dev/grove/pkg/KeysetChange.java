package dev.grove.pkg;

import dev.grove.crypto.KeyId;
import dev.grove.crypto.Sha256;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * A namespace's new keyset ({@code grove.keyset/v2}), valid only when signed by the current keyset, numbered one past it
 * and naming it by its {@link #keysetDigest digest} ({@code previous}).
 *
 * <p>So it applies only where the namespace is in exactly the state it was signed against: a replay on the same node
 * fails (the sequence has moved on), and on another node it applies only if that node's keyset of the namespace is the
 * same keys at the same sequence, where it does what its signer meant. A node whose keyset of the namespace differs
 * (other keys, another history) refuses it, even when the signer's key is in both.
 *
 * <p>{@code grove.keyset/v1} changes (no {@code previous}) are no longer accepted from signers, but a log may hold them
 * from before: {@link #parseLogged} reads them.
 */
public record KeysetChange(String namespace, long sequence, Sha256 previous, List<PublicKeyEntry> keys) {
    public static final String SCHEMA = "grove.keyset/v2";
    /** The change signed before changes named the keyset they replace; read from logs only. */
    public static final String SCHEMA_V1 = "grove.keyset/v1";
    /** Cap on keys in a keyset. */
    public static final int MAX_KEYS = 16;

    public KeysetChange {
        PackageName.checkNamespace(namespace);
        if (sequence < 2) {
            throw new IllegalArgumentException("a keyset change has sequence 2 or more (1 is the first publish's "
                    + "binding), got " + sequence);
        }
        if (previous == null) {
            throw new NullPointerException("previous");
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a keyset needs at least one key");
        }
        keys = Collections.unmodifiableList(new ArrayList<>(keys));
    }

    /**
     * The digest that names a keyset: the SHA-256 of the UTF-8 text {@code grove.keyset}, the namespace, the sequence
     * and each key id in ascending order, each followed by a newline ({@code "\n"}).
     */
    public static Sha256 keysetDigest(String namespace, long sequence, Collection<KeyId> keys) {
        List<String> ids = new ArrayList<>();
        for (KeyId id : keys) {
            ids.add(id.hex());
        }
        Collections.sort(ids);
        StringBuilder text = new StringBuilder("grove.keyset\n").append(namespace).append('\n').append(sequence)
                .append('\n');
        for (String id : ids) {
            text.append(id).append('\n');
        }
        return Sha256.of(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a change a signer sends now: {@code grove.keyset/v2} only.
     *
     * @throws DocumentException with the JSON path of the first bad field
     */
    public static KeysetChange parse(byte[] payload) {
        Node root = Node.root(payload);
        if (SCHEMA_V1.equals(root.string("schema"))) {
            throw root.fail("schema", "a " + SCHEMA_V1 + " change does not name the keyset it replaces, so it could "
                    + "be replayed onto another history of the namespace; sign a " + SCHEMA + " change, which names it "
                    + "in previous (grove keyset rotate does)");
        }
        root.expectSchema(SCHEMA);
        root.only("schema", "namespace", "sequence", "previous", "keys");
        String namespace = root.value("namespace", PackageName::checkNamespace);
        long sequence = root.integer("sequence");
        if (sequence < 2) {
            throw root.fail("sequence", "must be at least 2 (1 is the first publish's binding), got " + sequence);
        }
        Sha256 previous = root.digest("previous");
        List<PublicKeyEntry> keys = PublicKeyEntry.parseList(root, "keys", MAX_KEYS, true);
        return new KeysetChange(namespace, sequence, previous, keys);
    }

    /**
     * Reads a change as a log holds it, given the digest of the keyset it follows there: a {@code grove.keyset/v2}
     * change must name that keyset; a {@code grove.keyset/v1} change, signed before changes named one, takes it.
     *
     * @throws DocumentException with the JSON path of the first bad field, or when the change names another keyset
     */
    public static KeysetChange parseLogged(byte[] payload, Sha256 previousDigest) {
        Node root = Node.root(payload);
        if (SCHEMA_V1.equals(root.string("schema"))) {
            root.only("schema", "namespace", "sequence", "keys");
            String namespace = root.value("namespace", PackageName::checkNamespace);
            long sequence = root.integer("sequence");
            if (sequence < 2) {
                throw root.fail("sequence", "must be at least 2 (1 is the first publish's binding), got " + sequence);
            }
            return new KeysetChange(namespace, sequence, previousDigest,
                    PublicKeyEntry.parseList(root, "keys", MAX_KEYS, true));
        }
        KeysetChange change = parse(payload);
        if (!change.previous().equals(previousDigest)) {
            throw root.fail("previous", "the change replaces keyset " + change.previous() + ", but the keyset before "
                    + "it is " + previousDigest);
        }
        return change;
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
                .put("previous", previous.toString())
                .put("keys", JsonArray.of(k))
                .build();
    }
}
