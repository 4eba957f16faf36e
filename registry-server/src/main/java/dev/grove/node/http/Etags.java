package dev.grove.node.http;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** Entity tags: making strong ones from bytes, and matching {@code If-None-Match}. */
public final class Etags {

    private Etags() {
    }

    /** {@code "sha256-<base64url, no padding>"} of {@code bytes}, quoted. */
    public static String strong(byte[] bytes) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"sha256-" + Base64.getUrlEncoder().withoutPadding().encodeToString(hash) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * Whether an {@code If-None-Match} value ({@code *} or a list of entity tags, weak or strong) names {@code etag},
     * compared weakly as RFC 9110 asks for this header. No header matches nothing.
     */
    public static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        int at = 0;
        int length = ifNoneMatch.length();
        while (at < length) {
            int end = ifNoneMatch.indexOf(',', at);
            if (end < 0) {
                end = length;
            }
            int from = at;
            int to = end;
            while (from < to && isSpace(ifNoneMatch.charAt(from))) {
                from++;
            }
            while (to > from && isSpace(ifNoneMatch.charAt(to - 1))) {
                to--;
            }
            if (ifNoneMatch.startsWith("W/", from)) {
                from += 2;
            }
            if ((to - from == 1 && ifNoneMatch.charAt(from) == '*')
                    || (to - from == etag.length() && ifNoneMatch.regionMatches(from, etag, 0, etag.length()))) {
                return true;
            }
            at = end + 1;
        }
        return false;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }
}
