package dev.grove.node.mirror;

import dev.grove.note.NoteException;
import dev.grove.note.NoteVerifier;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A followed log as configured: {@code URL} (its log key trusted on first use), {@code URL#KEY}, or several sources of
 * one log {@code URL1,URL2,...#KEY} (the key being the log's verifier key string, {@code <origin>+<id>+<base64>}). Each
 * URL is a node ({@code https://a.example}: its own log) or a mirror's copy of another origin's log ({@code
 * https://b.example/v1/origins/<origin>}, see {@link SourceLayout}). A mirror's copy, and several sources, need the
 * key: a mirror is never asked for the origin's key, and every source is checked against the same one.
 *
 * @param urls the sources, in the order they are asked
 */
record PeerSpec(List<String> urls, Optional<String> key) {

    PeerSpec {
        urls = List.copyOf(urls);
    }

    /** The sources' layouts, in order. */
    List<SourceLayout> layouts() {
        return urls.stream().map(SourceLayout::of).toList();
    }

    /** The log's origin when its key is configured (the key's name). */
    Optional<String> origin() {
        return key.map(k -> {
            try {
                return NoteVerifier.parse(k).name();
            } catch (NoteException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * The log's name across the processes of one node (its follow lock, {@link FollowLocks}, and the {@code origin}
     * of {@code grove_mirror_following}): its origin when its key is configured, else its only URL.
     */
    String logName() {
        return origin().orElse(urls.get(0));
    }

    /** @throws IllegalArgumentException naming what is wrong */
    static PeerSpec parse(String spec) {
        String text = spec.trim();
        int hash = text.indexOf('#');
        String list = hash < 0 ? text : text.substring(0, hash);
        Optional<String> key = hash < 0 ? Optional.empty() : Optional.of(text.substring(hash + 1).trim());
        Optional<NoteVerifier> verifier = Optional.empty();
        if (key.isPresent()) {
            try {
                NoteVerifier v = NoteVerifier.parse(key.get());
                if (v.type() != NoteVerifier.ED25519) {
                    throw new IllegalArgumentException("peer '" + list + "': the key is not an Ed25519 log key");
                }
                verifier = Optional.of(v);
            } catch (NoteException e) {
                throw new IllegalArgumentException("peer '" + list + "': " + e.getMessage());
            }
        }
        List<String> urls = new ArrayList<>();
        for (String part : list.split(",", -1)) {
            String url = url(part.trim(), spec);
            SourceLayout layout = SourceLayout.of(url);
            if (verifier.isPresent() && layout.origin().isPresent() && !layout.origin().get().equals(verifier.get().name())) {
                throw new IllegalArgumentException("peer '" + url + "' is the log " + layout.origin().get()
                        + ", but the key given is named " + verifier.get().name() + ": give that origin's log key");
            }
            if (verifier.isEmpty() && layout.mirrored()) {
                throw new IllegalArgumentException("peer '" + url + "' is a mirror's copy of the log "
                        + layout.origin().get() + ": follow it with that origin's log key, " + url + "#KEY (a key the "
                        + "mirror served would prove nothing about the origin)");
            }
            if (!urls.contains(url)) {
                urls.add(url);
            }
        }
        if (verifier.isEmpty() && urls.size() > 1) {
            throw new IllegalArgumentException("peer '" + list + "': several sources of one log need its key, "
                    + "URL1,URL2#KEY (each source is checked against it)");
        }
        return new PeerSpec(urls, key);
    }

    private static String url(String text, String spec) {
        String url = text;
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
        return url;
    }

    /**
     * The configured logs with the sources of one log together: specs with the same key are one log (their sources in
     * the order given); a URL given without a key and also with one is a source of that log.
     *
     * @throws IllegalArgumentException for two keys of one origin, or one URL given as a source of two logs
     */
    static List<PeerSpec> group(List<PeerSpec> specs) {
        Map<String, String> keys = new LinkedHashMap<>();
        Map<String, Set<String>> keyed = new LinkedHashMap<>();
        Map<String, String> sourceOf = new LinkedHashMap<>();
        for (PeerSpec spec : specs) {
            if (spec.key().isEmpty()) {
                continue;
            }
            String origin = spec.origin().orElseThrow();
            String before = keys.putIfAbsent(origin, spec.key().get());
            if (before != null && !before.equals(spec.key().get())) {
                throw new IllegalArgumentException("two keys given for the log " + origin + ": " + before + " and "
                        + spec.key().get());
            }
            for (String url : spec.urls()) {
                String other = sourceOf.putIfAbsent(url, origin);
                if (other != null && !other.equals(origin)) {
                    throw new IllegalArgumentException("'" + url + "' is given as a source of the logs " + other
                            + " and " + origin + "; a source serves one log");
                }
                keyed.computeIfAbsent(origin, o -> new LinkedHashSet<>()).add(url);
            }
        }
        List<PeerSpec> out = new ArrayList<>();
        Set<String> unkeyed = new LinkedHashSet<>();
        for (PeerSpec spec : specs) {
            if (spec.key().isPresent()) {
                String origin = spec.origin().orElseThrow();
                if (keyed.containsKey(origin)) {
                    out.add(new PeerSpec(new ArrayList<>(keyed.remove(origin)), Optional.of(keys.get(origin))));
                }
            } else if (!sourceOf.containsKey(spec.urls().get(0)) && unkeyed.add(spec.urls().get(0))) {
                out.add(spec);
            }
        }
        return out;
    }
}
