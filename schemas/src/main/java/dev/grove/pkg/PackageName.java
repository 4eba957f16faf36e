package dev.grove.pkg;

import java.util.regex.Pattern;

/** A package's {@code namespace/name}; the namespace is the unit of key ownership. */
public record PackageName(String namespace, String name) {
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9][a-z0-9-]{0,38}");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    /** @throws IllegalArgumentException when a part does not match the protocol's pattern */
    public PackageName {
        checkNamespace(namespace);
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid package name '" + abbreviate(name)
                    + "': must match ^[a-z0-9][a-z0-9._-]{0,63}$");
        }
    }

    /** @throws IllegalArgumentException unless the text is {@code namespace/name} with valid parts */
    public static PackageName parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash < 0 || text.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("not a package name (namespace/name): '" + abbreviate(text) + "'");
        }
        return new PackageName(text.substring(0, slash), text.substring(slash + 1));
    }

    /** @throws IllegalArgumentException when the namespace does not match ^[a-z0-9][a-z0-9-]{0,38}$ */
    public static String checkNamespace(String namespace) {
        if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
            throw new IllegalArgumentException("invalid namespace '" + abbreviate(namespace)
                    + "': must match ^[a-z0-9][a-z0-9-]{0,38}$");
        }
        return namespace;
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }

    static String abbreviate(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
