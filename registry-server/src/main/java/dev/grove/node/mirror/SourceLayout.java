package dev.grove.node.mirror;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Where a followed source serves an origin's log and blobs. Two layouts, told apart by the URL alone:
 *
 * <ul>
 *   <li><b>a node's own log</b> ({@code https://a.example}): the log under {@code /log/}, blobs at
 *   {@code /v1/blobs/<digest>}, a consistency endpoint {@code /v1/log/consistency} and the node's identity at
 *   {@code /.well-known/grove/node}. A folder written by {@code grove export} has this layout without the two
 *   endpoints: the follower then computes consistency from the hash tiles, and needs the key given;</li>
 *   <li><b>a mirror's copy of another origin's log</b> ({@code https://b.example/v1/origins/<origin>}, the origin
 *   URL-encoded): the log under that prefix's {@code /log/}, blobs content-addressed at the mirror's
 *   {@code /v1/blobs/<digest>}, no consistency endpoint (computed from the tiles), no identity: the origin's key must
 *   be given, since a key the mirror served would prove nothing about the origin.</li>
 * </ul>
 *
 * @param url         the source as configured (no trailing slash)
 * @param log         the log prefix: {@code log + "/checkpoint"}, {@code log + "/tile/..."}
 * @param blobs       the blob prefix: {@code blobs + digest}
 * @param consistency the consistency endpoint, when the source has one
 * @param identity    the node document naming its log and key, when the source serves its own log
 * @param origin      the origin the URL names (a mirror's copy); empty for a node's own log
 */
record SourceLayout(String url, String log, String blobs, Optional<String> consistency, Optional<String> identity,
                    Optional<String> origin) {

    private static final String ORIGINS = "/v1/origins/";

    /** @throws IllegalArgumentException when the URL names a mirrored origin that does not decode */
    static SourceLayout of(String url) {
        String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        int at = base.indexOf(ORIGINS);
        if (at >= 0 && base.indexOf("://") < at) {
            String encoded = base.substring(at + ORIGINS.length());
            String origin;
            try {
                origin = URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + url + "': the origin after /v1/origins/ is not URL-encoded: "
                        + e.getMessage());
            }
            if (origin.isEmpty() || encoded.contains("/")) {
                throw new IllegalArgumentException("'" + url + "': name a mirrored log as MIRROR/v1/origins/ORIGIN, "
                        + "the origin URL-encoded (a.example%2Fgrove-log)");
            }
            String mirror = base.substring(0, at);
            return new SourceLayout(base, base + "/log", mirror + "/v1/blobs/", Optional.empty(), Optional.empty(),
                    Optional.of(origin));
        }
        return new SourceLayout(base, base + "/log", base + "/v1/blobs/", Optional.of(base + "/v1/log/consistency"),
                Optional.of(base + "/.well-known/grove/node"), Optional.empty());
    }

    /** Whether this source serves a log other than its own (a mirror's copy). */
    boolean mirrored() {
        return origin.isPresent();
    }
}
