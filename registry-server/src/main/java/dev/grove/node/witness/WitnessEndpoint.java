package dev.grove.node.witness;

import dev.grove.note.NoteException;
import dev.grove.note.NoteVerifier;
import java.net.URI;
import java.util.Objects;

/**
 * A witness this node's log asks for cosignatures: its submission prefix ({@code add-checkpoint} is posted to
 * {@code <prefix>/add-checkpoint}) and its cosignature verifier key.
 *
 * @param submissionPrefix e.g. {@code https://witness.example/witness} for a Grove node
 * @param key the witness's verifier key, type 0x04 (cosignature/v1)
 */
public record WitnessEndpoint(URI submissionPrefix, NoteVerifier key) {

    /** The submission prefix of a Grove node's witness, relative to the node's URL. */
    public static final String NODE_PREFIX = "/witness";

    public WitnessEndpoint {
        Objects.requireNonNull(submissionPrefix, "submissionPrefix");
        Objects.requireNonNull(key, "key");
        String scheme = submissionPrefix.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme) || submissionPrefix.getHost() == null) {
            throw new IllegalArgumentException("witness URL must be http(s)://host[:port][/path], got '"
                    + submissionPrefix + "'");
        }
        if (key.type() != NoteVerifier.COSIGNATURE_V1) {
            throw new IllegalArgumentException("witness key must be a cosignature/v1 (type 0x04) verifier key, got "
                    + key);
        }
        String s = submissionPrefix.toString();
        if (s.endsWith("/")) {
            submissionPrefix = URI.create(s.substring(0, s.length() - 1));
        }
    }

    /**
     * Parses {@code URL#KEY}: a node URL (its witness prefix {@code /witness} is added when the URL has no path) or a
     * submission prefix, then {@code #}, then the witness's verifier key.
     *
     * @throws IllegalArgumentException naming what is malformed
     */
    public static WitnessEndpoint parse(String text) {
        int hash = text.indexOf('#');
        if (hash < 0) {
            throw new IllegalArgumentException("witness must be URL#KEY (the witness's verifier key after '#'), got '"
                    + text + "'");
        }
        URI url;
        try {
            url = URI.create(text.substring(0, hash));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("witness URL is malformed: '" + text.substring(0, hash) + "'");
        }
        if (url.getPath() == null || url.getPath().isEmpty() || url.getPath().equals("/")) {
            url = URI.create(url.toString().replaceAll("/$", "") + NODE_PREFIX);
        }
        NoteVerifier key;
        try {
            key = NoteVerifier.parse(text.substring(hash + 1));
        } catch (NoteException e) {
            throw new IllegalArgumentException("witness key: " + e.getMessage());
        }
        return new WitnessEndpoint(url, key);
    }

    /** {@code <prefix>/add-checkpoint}. */
    public URI addCheckpointUrl() {
        return URI.create(submissionPrefix + "/add-checkpoint");
    }

    /** The witness's name (its key name). */
    public String name() {
        return key.name();
    }

    @Override
    public String toString() {
        return submissionPrefix + "#" + key;
    }
}
