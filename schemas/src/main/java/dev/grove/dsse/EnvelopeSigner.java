package dev.grove.dsse;

import dev.grove.crypto.Ed25519PrivateKey;
import java.util.ArrayList;
import java.util.List;

/** Signs a payload's PAE with one or more keys, each signature named by the key's id. */
public final class EnvelopeSigner {
    private EnvelopeSigner() {
    }

    /** @throws EnvelopeException when given no keys or more than {@value Envelope#MAX_SIGNATURES} */
    public static Envelope sign(String payloadType, byte[] payload, Ed25519PrivateKey... keys) {
        byte[] pae = Pae.encode(payloadType, payload);
        List<Signature> signatures = new ArrayList<>(keys.length);
        for (Ed25519PrivateKey key : keys) {
            signatures.add(new Signature(key.keyId(), key.sign(pae)));
        }
        return Envelope.of(payloadType, payload, signatures);
    }
}
