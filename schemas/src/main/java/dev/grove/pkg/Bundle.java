package dev.grove.pkg;

import dev.grove.crypto.Ed25519PublicKey;
import dev.grove.crypto.KeyId;
import dev.grove.crypto.Sha256;
import dev.grove.dsse.Envelope;
import dev.grove.dsse.EnvelopeException;
import dev.grove.json.Json;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonException;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The signed package as published and fetched ({@code grove.bundle.json}): the three envelopes and the signers' public
 * keys. Parsing checks only shape; {@link BundleVerifier} decides whether to believe it.
 */
public record Bundle(Envelope contract, Envelope lineage, Envelope evaluation, List<PublicKeyEntry> keys) {
    /** Three envelopes of at most 8 signatures each. */
    public static final int MAX_KEYS = 24;

    public Bundle {
        if (contract == null || lineage == null || evaluation == null) {
            throw new NullPointerException("contract, lineage and evaluation envelopes are required");
        }
        keys = Collections.unmodifiableList(new ArrayList<>(keys));
    }

    /** @throws DocumentException naming the bad field, e.g. "lineage: envelope has no signatures" */
    public static Bundle parse(String json) {
        JsonObject o;
        try {
            o = Json.parseObject(json);
        } catch (JsonException e) {
            throw new DocumentException("invalid JSON: " + e.getMessage(), e);
        }
        return parse(o);
    }

    public static Bundle parse(byte[] utf8) {
        JsonObject o;
        try {
            o = Json.parseObject(utf8);
        } catch (JsonException e) {
            throw new DocumentException("invalid JSON: " + e.getMessage(), e);
        }
        return parse(o);
    }

    public static Bundle parse(JsonObject o) {
        Node root = new Node(o, "").only("contract", "lineage", "evaluation", "keys");
        Envelope contract = envelope(root, "contract");
        Envelope lineage = envelope(root, "lineage");
        Envelope evaluation = envelope(root, "evaluation");
        List<PublicKeyEntry> keys = PublicKeyEntry.parseList(root, "keys", MAX_KEYS, false);
        return new Bundle(contract, lineage, evaluation, keys);
    }

    private static Envelope envelope(Node root, String key) {
        JsonObject e = root.rawObject(key);
        try {
            return Envelope.parse(e);
        } catch (EnvelopeException ex) {
            throw new DocumentException(key + ": " + ex.getMessage(), ex);
        }
    }

    /** The package digest: SHA-256 of the contract payload bytes. */
    public Sha256 packageDigest() {
        return contract.payloadDigest();
    }

    /** The bundled keys as a map (not trusted by being here: a node intersects it with the namespace keyset). */
    public Map<KeyId, Ed25519PublicKey> keyMap() {
        return PublicKeyEntry.toMap(keys);
    }

    public JsonObject toJson() {
        List<JsonValue> k = new ArrayList<>(keys.size());
        for (PublicKeyEntry e : keys) {
            k.add(e.toJson());
        }
        return JsonObject.builder()
                .put("contract", contract.toJson())
                .put("lineage", lineage.toJson())
                .put("evaluation", evaluation.toJson())
                .put("keys", JsonArray.of(k))
                .build();
    }

    public String toJsonString() {
        return Json.write(toJson());
    }

    public byte[] toJsonBytes() {
        return toJsonString().getBytes(StandardCharsets.UTF_8);
    }
}
