package dev.grove.dsse;

import dev.grove.crypto.Ed25519PublicKey;
import dev.grove.crypto.KeyId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Grove acceptance rule: the payload type is the expected one, at least one signature is by a trusted key, and every
 * signature by a trusted key verifies. Signatures by keys not in the trusted map are ignored (they may be by keys the
 * reader does not know), never counted.
 */
public final class EnvelopeVerifier {
    private EnvelopeVerifier() {
    }

    /**
     * @throws SignatureException naming the payload type or key at fault
     * @throws IllegalArgumentException when a trusted map entry's key does not have the id it is filed under
     */
    public static VerifiedEnvelope verify(Envelope e, Map<KeyId, Ed25519PublicKey> trusted, String expectedPayloadType) {
        if (!e.payloadType().equals(expectedPayloadType)) {
            throw new SignatureException("payload type is '" + abbreviate(e.payloadType()) + "', expected '"
                    + expectedPayloadType + "'");
        }
        byte[] pae = null;
        List<KeyId> signers = new ArrayList<>();
        for (Signature s : e.signatures()) {
            Optional<KeyId> id = s.keyId();
            Ed25519PublicKey key = id.isPresent() ? trusted.get(id.get()) : null;
            if (key == null) {
                continue;
            }
            if (!key.keyId().equals(id.get())) {
                throw new IllegalArgumentException("trusted key filed under keyid " + id.get() + " has keyid "
                        + key.keyId());
            }
            if (pae == null) {
                pae = e.pae();
            }
            if (!key.verify(pae, s.sig())) {
                throw new SignatureException("signature by key " + id.get() + " does not verify");
            }
            if (!signers.contains(id.get())) {
                signers.add(id.get());
            }
        }
        if (signers.isEmpty()) {
            StringBuilder names = new StringBuilder();
            for (Signature s : e.signatures()) {
                if (names.length() > 0) {
                    names.append(", ");
                }
                names.append(abbreviate(s.keyid()));
            }
            throw new SignatureException("no signature by a trusted key (signed by keyid " + names + ")");
        }
        return new VerifiedEnvelope(e, signers);
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
