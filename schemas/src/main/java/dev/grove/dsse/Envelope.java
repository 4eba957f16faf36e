package dev.grove.dsse;

import dev.grove.crypto.Sha256;
import dev.grove.crypto.StrictBase64;
import dev.grove.json.Json;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonException;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A parsed but unverified DSSE envelope: {@code {"payloadType", "payload": base64, "signatures": [{"keyid", "sig"}]}}.
 * Holding an Envelope says nothing about who signed it; use {@link EnvelopeVerifier}.
 */
public final class Envelope {
    /** Cap on signatures, so a hostile envelope cannot make a verifier do unbounded work. */
    public static final int MAX_SIGNATURES = 8;

    private final String payloadType;
    private final byte[] payload;
    private final List<Signature> signatures;

    private Envelope(String payloadType, byte[] payload, List<Signature> signatures) {
        this.payloadType = payloadType;
        this.payload = payload;
        this.signatures = signatures;
    }

    /** @throws EnvelopeException when there are no signatures or more than {@value #MAX_SIGNATURES} */
    public static Envelope of(String payloadType, byte[] payload, List<Signature> signatures) {
        if (payloadType == null || payload == null) {
            throw new NullPointerException(payloadType == null ? "payloadType" : "payload");
        }
        checkCount(signatures.size());
        return new Envelope(payloadType, payload.clone(),
                Collections.unmodifiableList(new ArrayList<>(signatures)));
    }

    /** @throws EnvelopeException naming the field that is missing or malformed */
    public static Envelope parse(String json) {
        JsonObject o;
        try {
            o = Json.parseObject(json);
        } catch (JsonException e) {
            throw new EnvelopeException("envelope is not a JSON object: " + e.getMessage(), e);
        }
        return parse(o);
    }

    /** @throws EnvelopeException naming the field that is missing or malformed */
    public static Envelope parse(JsonObject o) {
        try {
            String payloadType = o.string("payloadType");
            byte[] payload = decode(o.string("payload"), "payload");
            JsonArray sigs = o.array("signatures");
            checkCount(sigs.size());
            List<Signature> signatures = new ArrayList<>(sigs.size());
            for (int i = 0; i < sigs.size(); i++) {
                JsonValue v = sigs.get(i);
                if (!(v instanceof JsonObject s)) {
                    throw new EnvelopeException("signatures[" + i + "] must be an object");
                }
                String keyid;
                String sig;
                try {
                    keyid = s.string("keyid");
                    sig = s.string("sig");
                } catch (JsonException e) {
                    throw new EnvelopeException("signatures[" + i + "]: " + e.getMessage(), e);
                }
                signatures.add(new Signature(keyid, decode(sig, "signatures[" + i + "].sig")));
            }
            return new Envelope(payloadType, payload, Collections.unmodifiableList(signatures));
        } catch (JsonException e) {
            throw new EnvelopeException("envelope: " + e.getMessage(), e);
        }
    }

    private static void checkCount(int n) {
        if (n == 0) {
            throw new EnvelopeException("envelope has no signatures");
        }
        if (n > MAX_SIGNATURES) {
            throw new EnvelopeException("envelope has " + n + " signatures, at most " + MAX_SIGNATURES + " are allowed");
        }
    }

    private static byte[] decode(String base64, String field) {
        try {
            return StrictBase64.decode(base64);
        } catch (IllegalArgumentException e) {
            throw new EnvelopeException(field + ": " + e.getMessage(), e);
        }
    }

    public String payloadType() {
        return payloadType;
    }

    /** A copy of the exact payload bytes. */
    public byte[] payload() {
        return payload.clone();
    }

    public List<Signature> signatures() {
        return signatures;
    }

    /** The SHA-256 of the payload bytes; for a contract envelope, the package digest. */
    public Sha256 payloadDigest() {
        return Sha256.of(payload);
    }

    /** The PAE bytes the signatures cover. */
    public byte[] pae() {
        return Pae.encode(payloadType, payload);
    }

    public JsonObject toJson() {
        List<JsonValue> sigs = new ArrayList<>(signatures.size());
        for (Signature s : signatures) {
            sigs.add(JsonObject.builder().put("keyid", s.keyid()).put("sig", StrictBase64.encode(s.sig())).build());
        }
        return JsonObject.builder()
                .put("payloadType", payloadType)
                .put("payload", StrictBase64.encode(payload))
                .put("signatures", JsonArray.of(sigs))
                .build();
    }

    public String toJsonString() {
        return Json.write(toJson());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Envelope other && payloadType.equals(other.payloadType)
                && Arrays.equals(payload, other.payload) && signatures.equals(other.signatures);
    }

    @Override
    public int hashCode() {
        return (payloadType.hashCode() * 31 + Arrays.hashCode(payload)) * 31 + signatures.hashCode();
    }

    @Override
    public String toString() {
        return "Envelope[payloadType=" + payloadType + ", payload=" + payload.length + " bytes, signatures="
                + signatures + "]";
    }
}
