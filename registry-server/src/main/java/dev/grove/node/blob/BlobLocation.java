package dev.grove.node.blob;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a node keeps its blobs: {@link Local} (the default, {@code <data>/blobs}) or {@link S3} (a bucket of an
 * S3-compatible service). Read from {@code grove serve --blobs} by {@link #parse}.
 */
public sealed interface BlobLocation permits BlobLocation.Local, BlobLocation.S3 {

    /** The node's data directory, {@code <data>/blobs}. */
    record Local() implements BlobLocation {
    }

    /**
     * A bucket of an S3-compatible service; credentials come from the SDK's standard chain (the environment's
     * {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY}, a profile, an instance role), never from here.
     *
     * @param bucket     the bucket, which must exist
     * @param endpoint   the service's URL, when it is not AWS S3 (MinIO, Ceph, S3Proxy, a cloud's S3 API)
     * @param region     the signing region; when absent the SDK's chain ({@code AWS_REGION}) names it
     * @param pathStyle  {@code http://host/bucket/key} rather than {@code http://bucket.host/key} (most self-hosted
     *                   services need it)
     * @param presignedRedirects whether {@code GET /v1/blobs/:digest} answers 307 to a presigned URL of the object, so
     *                   that blob bytes do not pass through the node
     * @param prefix     the key prefix the node's objects are under (empty, or ending in {@code /})
     */
    record S3(String bucket, Optional<URI> endpoint, Optional<String> region, boolean pathStyle,
              boolean presignedRedirects, String prefix) implements BlobLocation {

        private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

        public S3 {
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(prefix, "prefix");
            if (!BUCKET.matcher(bucket).matches()) {
                throw new IllegalArgumentException("'" + bucket + "' is not a bucket name (3 to 63 lowercase letters,"
                        + " digits, dots and hyphens)");
            }
            if (!prefix.isEmpty() && (!prefix.endsWith("/") || prefix.startsWith("/"))) {
                throw new IllegalArgumentException("the key prefix '" + prefix + "' must end with / and not start with one");
            }
        }

        /** The URL form {@link #parse} reads (without anything secret: there is nothing secret in it). */
        @Override
        public String toString() {
            StringBuilder s = new StringBuilder("s3://").append(bucket);
            String sep = "?";
            if (endpoint.isPresent()) {
                s.append(sep).append("endpoint=").append(endpoint.get());
                sep = "&";
            }
            if (region.isPresent()) {
                s.append(sep).append("region=").append(region.get());
                sep = "&";
            }
            if (pathStyle) {
                s.append(sep).append("path-style=true");
                sep = "&";
            }
            if (presignedRedirects) {
                s.append(sep).append("redirect=presigned");
                sep = "&";
            }
            if (!prefix.isEmpty()) {
                s.append(sep).append("prefix=").append(prefix);
            }
            return s.toString();
        }
    }

    /** The parameters an {@code s3://} URL may carry. */
    Set<String> S3_PARAMETERS = Set.of("endpoint", "region", "path-style", "redirect", "prefix");

    /**
     * Reads {@code local} (or nothing: the default) and
     * {@code s3://BUCKET[?endpoint=URL][&region=R][&path-style=true][&redirect=presigned][&prefix=P/]}.
     *
     * @throws IllegalArgumentException naming what is wrong (the URL holds no secret, so it may be echoed)
     */
    static BlobLocation parse(String text) {
        String t = text.strip();
        if (t.isEmpty() || t.equals("local")) {
            return new Local();
        }
        if (!t.startsWith("s3://")) {
            throw new IllegalArgumentException("--blobs takes 'local' or s3://BUCKET?endpoint=URL&region=REGION"
                    + "[&path-style=true][&redirect=presigned][&prefix=P/]");
        }
        if (t.length() == "s3://".length() || "/?".indexOf(t.charAt("s3://".length())) >= 0) {
            throw new IllegalArgumentException("--blobs: the URL names no bucket (s3://BUCKET?...)");
        }
        URI uri;
        try {
            uri = new URI(t);
        } catch (URISyntaxException e) {
            // the text is not echoed: whatever it holds, a mistyped secret included, stays out of logs
            throw new IllegalArgumentException("--blobs: not a URL (" + e.getReason() + ")");
        }
        String bucket = uri.getHost() != null ? uri.getHost() : uri.getAuthority();
        if (bucket == null || bucket.isEmpty()) {
            throw new IllegalArgumentException("--blobs: the URL names no bucket (s3://BUCKET?...)");
        }
        if (uri.getUserInfo() != null) {
            throw new IllegalArgumentException("--blobs: credentials do not go in the URL; set AWS_ACCESS_KEY_ID and"
                    + " AWS_SECRET_ACCESS_KEY");
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
            throw new IllegalArgumentException("--blobs: the URL has a path; a key prefix is given as &prefix=P/");
        }
        Map<String, String> params = query(uri.getRawQuery());
        for (String name : params.keySet()) {
            if (!S3_PARAMETERS.contains(name)) {
                throw new IllegalArgumentException("--blobs: unknown parameter '" + name + "' (known: endpoint, region,"
                        + " path-style, redirect, prefix)");
            }
        }
        Optional<URI> endpoint = Optional.ofNullable(params.get("endpoint")).map(e -> {
            try {
                URI u = new URI(e);
                if (u.getUserInfo() != null) {
                    throw new IllegalArgumentException("--blobs: credentials do not go in the endpoint; set"
                            + " AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
                }
                if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                    throw new IllegalArgumentException("--blobs: endpoint '" + e + "' is not an http(s)://HOST[:PORT] URL");
                }
                return u;
            } catch (URISyntaxException x) {
                throw new IllegalArgumentException("--blobs: the endpoint is not a URL (" + x.getReason() + ")");
            }
        });
        Optional<String> region = Optional.ofNullable(params.get("region"));
        if (region.isPresent() && !region.get().matches("[a-z0-9-]{1,64}")) {
            throw new IllegalArgumentException("--blobs: '" + region.get() + "' is not a region name");
        }
        boolean pathStyle = flag(params, "path-style", "true", "false");
        String redirect = params.getOrDefault("redirect", "none");
        if (!redirect.equals("none") && !redirect.equals("presigned")) {
            throw new IllegalArgumentException("--blobs: redirect is 'presigned' or 'none', not '" + redirect + "'");
        }
        try {
            return new S3(bucket, endpoint, region, pathStyle, redirect.equals("presigned"), params.getOrDefault("prefix", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--blobs: " + e.getMessage());
        }
    }

    private static boolean flag(Map<String, String> params, String name, String yes, String no) {
        String value = params.getOrDefault(name, no);
        if (!value.equals(yes) && !value.equals(no)) {
            throw new IllegalArgumentException("--blobs: " + name + " is '" + yes + "' or '" + no + "', not '" + value + "'");
        }
        return value.equals(yes);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--blobs: '" + pair + "' is not NAME=VALUE");
            }
            String name = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (params.put(name, value) != null) {
                throw new IllegalArgumentException("--blobs: '" + name + "' is given twice");
            }
        }
        return params;
    }
}
