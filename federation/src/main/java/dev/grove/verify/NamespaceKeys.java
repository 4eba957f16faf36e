package dev.grove.verify;

import dev.grove.crypto.KeyId;
import dev.grove.json.Json;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A namespace's keysets as a node reports them ({@code GET /v1/namespaces/{ns}}: the current {@code keys} and
 * {@code sequence}, and the {@code history} of earlier keysets). A node's word, not a proof: the verifier uses it only to
 * narrow which of a bundle's keys it accepts (a signer must be in the keyset now or earlier), never to widen them.
 */
public final class NamespaceKeys {
    private final String namespace;
    private final long sequence;
    private final Set<KeyId> current;
    private final List<Keyset> history;

    private record Keyset(long sequence, Set<KeyId> keys) {
    }

    private NamespaceKeys(String namespace, long sequence, Set<KeyId> current, List<Keyset> history) {
        this.namespace = namespace;
        this.sequence = sequence;
        this.current = current;
        this.history = history;
    }

    /**
     * @param namespace the namespace asked for; a document about another one is refused
     * @throws Refusal KEYSET when the document is not a namespace document of {@code namespace}
     */
    public static NamespaceKeys parse(String namespace, String text) {
        try {
            return of(namespace, Json.parseObject(text));
        } catch (Refusal r) {
            throw r;
        } catch (RuntimeException e) {
            throw new Refusal(Refusal.Check.KEYSET, "the namespace document of '" + namespace + "' is not JSON: "
                    + e.getMessage(), e);
        }
    }

    /** @see #parse(String, String) */
    public static NamespaceKeys of(String namespace, JsonObject doc) {
        try {
            String named = doc.optString("namespace").orElse(namespace);
            if (!named.equals(namespace)) {
                throw new IllegalArgumentException("it is the keyset of namespace '" + named + "'");
            }
            List<Keyset> history = new ArrayList<>();
            for (JsonValue v : doc.optArray("history").orElse(JsonArray.of())) {
                if (v instanceof JsonObject change) {
                    history.add(new Keyset(change.integer("sequence"), keyIds(change.array("keys"))));
                }
            }
            return new NamespaceKeys(namespace, doc.integer("sequence"), keyIds(doc.array("keys")), history);
        } catch (RuntimeException e) {
            throw new Refusal(Refusal.Check.KEYSET, "the namespace document of '" + namespace + "' is not usable: "
                    + e.getMessage(), e);
        }
    }

    private static Set<KeyId> keyIds(JsonArray keys) {
        Set<KeyId> ids = new LinkedHashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            ids.add(KeyId.parse(keys.object(i).string("keyid")));
        }
        return ids;
    }

    public String namespace() {
        return namespace;
    }

    /** Whether the key is in the current keyset or was in an earlier one. */
    public boolean hadKey(KeyId key) {
        return standing(key).isPresent();
    }

    /**
     * Where the key stands: "in the current keyset of namespace 'demo' (sequence 2)" or "in keyset 1 of namespace
     * 'demo', since replaced (current sequence 2)"; empty when the namespace never had it.
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
}
