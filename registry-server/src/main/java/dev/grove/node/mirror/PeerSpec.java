package dev.grove.node.mirror;

import dev.grove.note.NoteException;
import dev.grove.note.NoteVerifier;
import java.net.URI;
import java.util.Optional;

/**
 * A followed peer as configured: {@code URL} (its log key trusted on first use) or {@code URL#KEY}, the key being the
 * log's verifier key string ({@code <origin>+<id>+<base64>}). The URL is a node ({@code https://a.example}: its own log)
 * or a mirror's copy of another origin's log ({@code https://b.example/v1/origins/<origin>}, see {@link SourceLayout}),
 * which needs the origin's key: the mirror is never asked for it.
 */
record PeerSpec(String url, Optional<String> key) {

    SourceLayout layout() {
        return SourceLayout.of(url);
    }

    /** @throws IllegalArgumentException naming what is wrong */
    static PeerSpec parse(String spec) {
        String text = spec.trim();
        int hash = text.indexOf('#');
        String url = hash < 0 ? text : text.substring(0, hash);
        Optional<String> key = hash < 0 ? Optional.empty() : Optional.of(text.substring(hash + 1));
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("peer '" + spec + "' is not a URL: " + e.getMessage());
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("peer '" + spec + "' must be an http:// or https:// URL");
        }
        SourceLayout layout = SourceLayout.of(url);
        if (key.isPresent()) {
            try {
                NoteVerifier v = NoteVerifier.parse(key.get());
                if (v.type() != NoteVerifier.ED25519) {
                    throw new IllegalArgumentException("peer '" + url + "': the key is not an Ed25519 log key");
                }
                if (layout.origin().isPresent() && !layout.origin().get().equals(v.name())) {
                    throw new IllegalArgumentException("peer '" + url + "' is the log " + layout.origin().get()
                            + ", but the key given is named " + v.name() + ": give that origin's log key");
                }
            } catch (NoteException e) {
                throw new IllegalArgumentException("peer '" + url + "': " + e.getMessage());
            }
        } else if (layout.mirrored()) {
            throw new IllegalArgumentException("peer '" + url + "' is a mirror's copy of the log "
                    + layout.origin().get() + ": follow it with that origin's log key, " + url + "#KEY (a key the "
                    + "mirror served would prove nothing about the origin)");
        }
        return new PeerSpec(url, key);
    }
}
