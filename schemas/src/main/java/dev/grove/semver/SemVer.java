package dev.grove.semver;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A version such as {@code 1.3.0-rc.1}. Ordered by SemVer 2.0.0 precedence, which is total here because build metadata is
 * refused: two versions with equal precedence are equal. {@link #toString()} prints what {@link #parse} reads.
 */
public record SemVer(int major, int minor, int patch, List<String> prerelease) implements Comparable<SemVer> {

    /**
     * @throws IllegalArgumentException for negative numbers or a pre-release identifier that is empty, has characters
     *     outside [0-9A-Za-z-], or is numeric with a leading zero
     */
    public SemVer {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("version numbers must not be negative: " + major + "." + minor + "."
                    + patch);
        }
        List<String> copy = new ArrayList<>(prerelease.size());
        for (String id : prerelease) {
            String problem = identifierProblem(id);
            if (problem != null) {
                throw new IllegalArgumentException("invalid pre-release identifier '" + id + "': " + problem);
            }
            copy.add(id);
        }
        prerelease = Collections.unmodifiableList(copy);
    }

    public static SemVer of(int major, int minor, int patch) {
        return new SemVer(major, minor, patch, Collections.emptyList());
    }

    /** Longest version text read, as the schemas' {@code version} allows: a longer one is refused before it is parsed. */
    public static final int MAX_LENGTH = 128;

    /**
     * Reads a version in one pass over at most {@value #MAX_LENGTH} characters, with no regular expression and no
     * recursion, so no text, however long or deeply dotted, costs more than its length.
     *
     * @throws IllegalArgumentException naming the text and what is wrong with it
     */
    public static SemVer parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("not a semantic version: null");
        }
        if (text.length() > MAX_LENGTH) {
            throw invalid(text, "longer than " + MAX_LENGTH + " characters");
        }
        if (text.indexOf('+') >= 0) {
            throw new IllegalArgumentException("build metadata is not allowed: '" + abbreviate(text) + "'");
        }
        int dash = text.indexOf('-');
        int coreEnd = dash < 0 ? text.length() : dash;
        int firstDot = text.indexOf('.');
        int secondDot = firstDot < 0 ? -1 : text.indexOf('.', firstDot + 1);
        int thirdDot = secondDot < 0 ? -1 : text.indexOf('.', secondDot + 1);
        if (secondDot < 0 || secondDot > coreEnd || (thirdDot >= 0 && thirdDot < coreEnd)) {
            throw invalid(text, "expected MAJOR.MINOR.PATCH");
        }
        int major = number(text, text.substring(0, firstDot));
        int minor = number(text, text.substring(firstDot + 1, secondDot));
        int patch = number(text, text.substring(secondDot + 1, coreEnd));
        List<String> pre = new ArrayList<>();
        if (dash >= 0) {
            int start = dash + 1;
            while (true) {
                int dot = text.indexOf('.', start);
                String id = text.substring(start, dot < 0 ? text.length() : dot);
                String problem = identifierProblem(id);
                if (problem != null) {
                    throw invalid(text, "pre-release identifier '" + id + "' " + problem);
                }
                pre.add(id);
                if (dot < 0) {
                    break;
                }
                start = dot + 1;
            }
        }
        return new SemVer(major, minor, patch, pre);
    }

    public boolean isPrerelease() {
        return !prerelease.isEmpty();
    }

    /** The same major.minor.patch without pre-release identifiers. */
    public SemVer release() {
        return isPrerelease() ? of(major, minor, patch) : this;
    }

    @Override
    public int compareTo(SemVer o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) {
            c = Integer.compare(minor, o.minor);
        }
        if (c == 0) {
            c = Integer.compare(patch, o.patch);
        }
        if (c != 0) {
            return c;
        }
        if (prerelease.isEmpty() || o.prerelease.isEmpty()) {
            // a release has higher precedence than any of its pre-releases
            return Boolean.compare(prerelease.isEmpty(), o.prerelease.isEmpty());
        }
        int n = Math.min(prerelease.size(), o.prerelease.size());
        for (int i = 0; i < n; i++) {
            c = compareIdentifiers(prerelease.get(i), o.prerelease.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(prerelease.size(), o.prerelease.size());
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(major).append('.').append(minor).append('.').append(patch);
        for (int i = 0; i < prerelease.size(); i++) {
            sb.append(i == 0 ? '-' : '.').append(prerelease.get(i));
        }
        return sb.toString();
    }

    private static int compareIdentifiers(String a, String b) {
        boolean an = isNumeric(a);
        boolean bn = isNumeric(b);
        if (an && bn) {
            // no leading zeros, so a longer numeric identifier is a larger number
            return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
        }
        if (an != bn) {
            return an ? -1 : 1;
        }
        return a.compareTo(b); // ASCII order
    }

    private static boolean isNumeric(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** Null when valid, else the reason (used after the identifier in messages). */
    private static String identifierProblem(String id) {
        if (id.isEmpty()) {
            return "is empty";
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
            if (!ok) {
                return "has a character outside [0-9A-Za-z-]";
            }
        }
        if (isNumeric(id) && id.length() > 1 && id.charAt(0) == '0') {
            return "has a leading zero";
        }
        return null;
    }

    private static int number(String text, String part) {
        if (part.isEmpty() || !isNumeric(part)) {
            throw invalid(text, "'" + part + "' is not a number");
        }
        if (part.length() > 1 && part.charAt(0) == '0') {
            throw invalid(text, "'" + part + "' has a leading zero");
        }
        if (part.length() > 10 || Long.parseLong(part) > Integer.MAX_VALUE) {
            throw invalid(text, "'" + part + "' is too large");
        }
        return Integer.parseInt(part);
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("not a semantic version: '" + abbreviate(text) + "': " + why);
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
