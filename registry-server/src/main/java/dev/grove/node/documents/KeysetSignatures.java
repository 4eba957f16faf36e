package dev.grove.node.documents;

import dev.grove.crypto.Ed25519PublicKey;
import dev.grove.crypto.KeyId;
import dev.grove.dsse.Envelope;
import dev.grove.dsse.EnvelopeVerifier;
import dev.grove.dsse.SignatureException;
import dev.grove.dsse.VerifiedEnvelope;
import dev.grove.node.problem.ForbiddenSigner;
import dev.grove.node.problem.SignatureRejected;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * Verifies an envelope against a namespace's keyset and tells the two refusals apart: a signer outside the keyset is not
 * allowed ({@link ForbiddenSigner}), while a signature by a keyset key that does not verify is rejected
 * ({@link SignatureRejected}: the payload changed after signing, or the signature is corrupt).
 */
public final class KeysetSignatures {

    private KeysetSignatures() {
    }

    public static VerifiedEnvelope verify(Envelope envelope, String what, String namespace,
                                          Map<KeyId, Ed25519PublicKey> keyset, String payloadType) {
        requireKeysetSigner(envelope, what, namespace, keyset);
        try {
            return EnvelopeVerifier.verify(envelope, keyset, payloadType);
        } catch (SignatureException e) {
            throw new SignatureRejected(what + ": " + e.getMessage(), e);
        }
    }

    /**
     * Refuses ({@link ForbiddenSigner}) an envelope none of whose signatures names a key of the keyset; checks no
     * signature (the caller verifies them, and rejects one that does not verify).
     */
    public static void requireKeysetSigner(Envelope envelope, String what, String namespace,
                                           Map<KeyId, Ed25519PublicKey> keyset) {
        boolean signedByKeyset = envelope.signatures().stream()
                .anyMatch(s -> keyset.keySet().stream().anyMatch(id -> id.hex().equals(s.keyid())));
        if (!signedByKeyset) {
            throw new ForbiddenSigner(what + " is signed by key " + envelope.signatures().get(0).keyid()
                    + ", which is not in the keyset of namespace '" + namespace + "'; sign with one of its keys ("
                    + keyset.keySet().stream().map(KeyId::hex).collect(Collectors.joining(", "))
                    + ") or have the namespace's keyset changed first");
        }
    }
}
