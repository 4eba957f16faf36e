package dev.grove.pkg;

import dev.grove.crypto.Sha256;

/**
 * A file of the package, pinned by size and digest. The path is checked so that writing the package to disk can never
 * escape its directory: relative, '/'-separated, no empty, "." or ".." segment, no backslash, no control character.
 */
public record Artifact(String path, String mediaType, long size, Sha256 digest) {

    /** @throws IllegalArgumentException naming the bad path, media type or size */
    public Artifact {
        String problem = pathProblem(path);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (mediaType == null || mediaType.isEmpty()) {
            throw new IllegalArgumentException("media type must not be empty");
        }
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
        if (digest == null) {
            throw new NullPointerException("digest");
        }
    }

    /** Null for a valid artifact path, else why it is refused (quoting the path). */
    static String pathProblem(String path) {
        if (path == null || path.isEmpty()) {
            return "artifact path must not be empty";
        }
        String q = "'" + PackageName.abbreviate(path) + "'";
        if (path.startsWith("/")) {
            return "artifact path must be relative: " + q;
        }
        if (path.indexOf('\\') >= 0) {
            return "artifact path must not contain a backslash: " + q;
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return "artifact path must not contain control characters: " + q;
            }
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty()) {
                return "artifact path must not have an empty segment: " + q;
            }
            if (segment.equals("..") || segment.equals(".")) {
                return "artifact path must not contain '" + segment + "' segments: " + q;
            }
        }
        return null;
    }
}
