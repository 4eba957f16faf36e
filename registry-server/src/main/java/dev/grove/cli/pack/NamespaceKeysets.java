package dev.grove.cli.pack;

import dev.grove.crypto.KeyId;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonException;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A namespace's keysets as a node reports them ({@code GET /v1/namespaces/{ns}}: the current {@code keys} and
 * {@code sequence}, and the {@code history} of every keyset it had), used to say whether a package's signer belongs to
 * the namespace now, belonged to it earlier, or never did.
 */
public final class NamespaceKeysets {
    private final String namespace;
    private final long sequence;
    private final List<KeyId> current;
    private final List<Keyset> history;

    private record Keyset(long sequence, List<KeyId> keys) {
    }

    private NamespaceKeysets(String namespace, long sequence, List<KeyId> current, List<Keyset> history) {
        this.namespace = namespace;
        this.sequence = sequence;
        this.current = current;
        this.history = history;
    }

    /** @throws VerificationException when the document is not a namespace document */
    public static NamespaceKeysets parse(String namespace, JsonObject doc) {
        try {
            List<Keyset> history = new ArrayList<>();
            for (JsonValue v : doc.optArray("history").orElse(JsonArray.of())) {
                if (v instanceof JsonObject change) {
                    history.add(new Keyset(change.integer("sequence"), keyIds(change.array("keys"))));
                }
            }
            return new NamespaceKeysets(namespace, doc.integer("sequence"), keyIds(doc.array("keys")), history);
        } catch (JsonException | IllegalArgumentException e) {
            throw new VerificationException("the node's keyset document for namespace '" + namespace + "' is malformed: "
                    + e.getMessage(), e);
        }
    }

    private static List<KeyId> keyIds(JsonArray keys) {
        List<KeyId> ids = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            ids.add(KeyId.parse(keys.object(i).string("keyid")));
        }
        return ids;
    }

    /**
     * Where the key stands: "in the current keyset of namespace 'demo' (sequence 2)" or "in keyset 1 of namespace 'demo',
     * since replaced (current sequence 2)"; empty when the namespace never had it.
     */
    public Optional<String> standing(KeyId key) {
        if (current.contains(key)) {
            return Optional.of("in the current keyset of namespace '" + namespace + "' (sequence " + sequence + ")");
        }
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i).keys().contains(key)) {
                return Optional.of("in keyset " + history.get(i).sequence() + " of namespace '" + namespace
                        + "', since replaced (current sequence " + sequence + ")");
            }
        }
        return Optional.empty();
    }

    public List<KeyId> current() {
        return current;
    }
}
