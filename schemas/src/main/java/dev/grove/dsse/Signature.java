package dev.grove.dsse;

import dev.grove.crypto.KeyId;
import dev.grove.crypto.StrictBase64;
import java.util.Arrays;
import java.util.Optional;

/**
 * One DSSE signature. The keyid is kept as the text found in the envelope (DSSE allows any hint); {@link #keyId()} reads it
 * as a Grove key id when it is one. The signature bytes are copied in and out.
 */
public record Signature(String keyid, byte[] sig) {

    public Signature {
        if (keyid == null || sig == null) {
            throw new NullPointerException(keyid == null ? "keyid" : "sig");
        }
        sig = sig.clone();
    }

    public Signature(KeyId keyid, byte[] sig) {
        this(keyid.hex(), sig);
    }

    @Override
    public byte[] sig() {
        return sig.clone();
    }

    /** The keyid as a Grove key id, or empty when the text is not 64 lowercase hex digits. */
    public Optional<KeyId> keyId() {
        try {
            return Optional.of(KeyId.parse(keyid));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Signature other && keyid.equals(other.keyid) && Arrays.equals(sig, other.sig);
    }

    @Override
    public int hashCode() {
        return 31 * keyid.hashCode() + Arrays.hashCode(sig);
    }

    @Override
    public String toString() {
        return "Signature[keyid=" + keyid + ", sig=" + StrictBase64.encode(sig) + "]";
    }
}
