package dev.grove.node.log;

import dev.grove.checkpoint.Checkpoint;
import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.crypto.Ed25519PublicKey;
import dev.grove.dsse.Envelope;
import dev.grove.dsse.EnvelopeSigner;
import dev.grove.note.Note;
import dev.grove.note.NoteSigner;
import dev.grove.note.NoteVerifier;
import java.net.URI;
import java.util.Objects;

/**
 * The node's log identity: its origin ({@code <host[:port]>/grove-log}, derived from the public URL) and the Ed25519
 * note key of the same name that signs its checkpoints. {@link #toString()} shows only the verifier key.
 */
public final class LogKey {

    /** Suffix of a Grove log origin after the node's host. */
    public static final String ORIGIN_SUFFIX = "/grove-log";

    private final String origin;
    private final NoteSigner signer;
    private final Ed25519PrivateKey key;

    public LogKey(String origin, Ed25519PrivateKey key) {
        this.origin = Objects.requireNonNull(origin, "origin");
        this.signer = NoteSigner.ed25519(origin, key);
        this.key = key;
    }

    /**
     * The log origin of the node reached at {@code publicUrl}: its host, the port only when it is not the scheme's
     * default, then {@value #ORIGIN_SUFFIX} ({@code https://grove.example/} gives {@code grove.example/grove-log},
     * {@code http://localhost:8080} gives {@code localhost:8080/grove-log}).
     */
    public static String originFor(String publicUrl) {
        URI url = URI.create(publicUrl);
        if (url.getHost() == null) {
            throw new IllegalArgumentException("public URL has no host: '" + publicUrl + "'");
        }
        int port = url.getPort();
        boolean defaultPort = port == -1 || ("http".equals(url.getScheme()) && port == 80)
                || ("https".equals(url.getScheme()) && port == 443);
        return url.getHost().toLowerCase(java.util.Locale.ROOT) + (defaultPort ? "" : ":" + port) + ORIGIN_SUFFIX;
    }

    public String origin() {
        return origin;
    }

    /** The verifier of the log's checkpoints; its {@code toString()} is the verifier key the node publishes. */
    public NoteVerifier verifier() {
        return signer.verifier();
    }

    /** The signed note of a checkpoint of this log at {@code size} with {@code root}. */
    public String sign(long size, byte[] root) {
        String text = new Checkpoint(origin, size, root).format();
        return signer.sign(Note.unsigned(text)).toString();
    }

    /** The raw Ed25519 public key behind {@link #verifier()}: the key a DSSE statement signed by the node verifies with. */
    public Ed25519PublicKey publicKey() {
        return key.publicKey();
    }

    /**
     * A DSSE envelope over {@code payload}, signed with the log key: how the node signs its own statements (release
     * decisions). It cannot be mistaken for a checkpoint signature: DSSE signs {@code PAE(type, payload)}, which starts
     * with {@code "DSSEv1 "}, while the log key's note signatures are over checkpoint text, which starts with the log
     * origin ({@code <host>/grove-log}), so neither message can be replayed as the other.
     */
    public Envelope signStatement(String payloadType, byte[] payload) {
        return EnvelopeSigner.sign(payloadType, payload, key);
    }

    @Override
    public String toString() {
        return "LogKey[" + signer.verifier() + "]";
    }
}
