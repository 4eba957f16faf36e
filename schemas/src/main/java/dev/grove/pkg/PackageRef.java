package dev.grove.pkg;

import dev.grove.semver.SemVer;
import java.util.Optional;

/**
 * A reference {@code namespace/name@version}; the version is an exact SemVer string or {@code latest}, which a node
 * resolves to the newest release that is not yanked.
 */
public record PackageRef(PackageName name, String version) {
    public static final String LATEST = "latest";

    /** @throws IllegalArgumentException when the version is neither "latest" nor a valid SemVer */
    public PackageRef {
        if (name == null) {
            throw new NullPointerException("name");
        }
        if (!LATEST.equals(version)) {
            SemVer.parse(version);
        }
    }

    public static PackageRef of(PackageName name, SemVer version) {
        return new PackageRef(name, version.toString());
    }

    public static PackageRef latest(PackageName name) {
        return new PackageRef(name, LATEST);
    }

    /** Parses {@code ns/name@version}; without {@code @} the reference is to latest. */
    public static PackageRef parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("not a package reference: null");
        }
        int at = text.indexOf('@');
        if (at < 0) {
            return latest(PackageName.parse(text));
        }
        return new PackageRef(PackageName.parse(text.substring(0, at)), text.substring(at + 1));
    }

    public boolean isLatest() {
        return LATEST.equals(version);
    }

    /** The exact version, or empty for latest. */
    public Optional<SemVer> semVer() {
        return isLatest() ? Optional.empty() : Optional.of(SemVer.parse(version));
    }

    @Override
    public String toString() {
        return name + "@" + version;
    }
}
