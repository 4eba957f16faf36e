package dev.grove.verify;

import dev.grove.json.Json;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonValue;
import dev.grove.pkg.Bundle;
import java.util.Optional;

/**
 * A version document as a node serves it ({@code GET /v1/packages/{ns}/{name}/versions/{v}} and the mirrored
 * {@code /v1/origins/{origin}/...} copy), parsed but not believed: only {@link VersionVerifier} turns it into a
 * {@link VerifiedVersion}. The members read here are the ones verification needs; the rest is display.
 *
 * @param json   the whole document, for display once verified
 * @param bundle the signed envelopes and the keys the node says signed them
 * @param digest the package digest the node states
 * @param origin where the node says the version comes from ("" when it names none), for display: which log proves it
 *               is the client's choice of key
 * @param proof  the version's log proof as served
 */
public record VersionDocument(JsonObject json, Bundle bundle, String digest, String origin, LogProof proof) {

    /** @throws Refusal DOCUMENT when the text is not a version document */
    public static VersionDocument parse(String text) {
        JsonObject o;
        try {
            o = Json.parseObject(text);
        } catch (RuntimeException e) {
            throw new Refusal(Refusal.Check.DOCUMENT, "the version document is not a JSON object: " + e.getMessage(), e);
        }
        return of(o);
    }

    /** @throws Refusal DOCUMENT when the object is not a version document */
    public static VersionDocument of(JsonObject o) {
        Bundle bundle;
        try {
            bundle = Bundle.parse(o.object("bundle"));
        } catch (RuntimeException e) {
            throw new Refusal(Refusal.Check.DOCUMENT, "the version document's bundle is malformed: " + e.getMessage(), e);
        }
        String digest;
        String origin;
        try {
            digest = o.optString("digest").orElse("");
            origin = o.optString("origin").orElse("");
        } catch (RuntimeException e) {
            throw new Refusal(Refusal.Check.DOCUMENT, "the version document is malformed: " + e.getMessage(), e);
        }
        return new VersionDocument(o, bundle, digest, origin, LogProof.of(o));
    }

    /** A member of the document, for display. */
    public Optional<JsonValue> get(String member) {
        return json.get(member);
    }
}
