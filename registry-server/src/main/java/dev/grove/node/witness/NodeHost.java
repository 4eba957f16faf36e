package dev.grove.node.witness;

import java.net.URI;

/** The host part of a node's names (log origin, witness key name): host of its public URL, port only if not default. */
final class NodeHost {

    private NodeHost() {
    }

    /** {@code http://localhost:8080/} gives {@code localhost:8080}; {@code https://grove.example:443} gives {@code grove.example}. */
    static String of(String publicUrl) {
        URI url = URI.create(publicUrl);
        if (url.getHost() == null) {
            throw new IllegalArgumentException("public URL has no host: '" + publicUrl + "'");
        }
        int port = url.getPort();
        boolean defaultPort = port == -1 || ("http".equals(url.getScheme()) && port == 80)
                || ("https".equals(url.getScheme()) && port == 443);
        return url.getHost() + (defaultPort ? "" : ":" + port);
    }
}
