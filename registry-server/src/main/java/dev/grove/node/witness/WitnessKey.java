package dev.grove.node.witness;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.note.Cosignature;
import dev.grove.note.NoteSignature;
import dev.grove.note.NoteVerifier;
import java.util.Objects;

/**
 * A node's witness identity: a key name ({@code <host>/grove-witness}) and an Ed25519 key that signs timestamped
 * cosignatures (c2sp.org/tlog-cosignature, type 0x04). {@link #toString()} never shows the private key.
 */
public final class WitnessKey {

    /** Suffix of a Grove witness key name after the node's host. */
    public static final String NAME_SUFFIX = "/grove-witness";

    private final String name;
    private final Ed25519PrivateKey key;
    private final NoteVerifier verifier;

    public WitnessKey(String name, Ed25519PrivateKey key) {
        this.name = Objects.requireNonNull(name, "name");
        this.key = Objects.requireNonNull(key, "key");
        this.verifier = NoteVerifier.cosignatureV1(name, key.publicKey());
    }

    /** The witness key name of the node reached at {@code publicUrl}: {@code <host[:port]>/grove-witness}. */
    public static String nameFor(String publicUrl) {
        return NodeHost.of(publicUrl) + NAME_SUFFIX;
    }

    public String name() {
        return name;
    }

    /** The verifier of this witness's cosignatures; its {@code toString()} is the verifier key the node publishes. */
    public NoteVerifier verifier() {
        return verifier;
    }

    /** The cosignature line of this witness on a checkpoint text at {@code timestamp} (POSIX seconds). */
    public NoteSignature cosign(String checkpointText, long timestamp) {
        return Cosignature.sign(name, key, timestamp, checkpointText);
    }

    @Override
    public String toString() {
        return "WitnessKey[" + verifier + "]";
    }
}
