package dev.grove.pkg;

import dev.grove.crypto.Sha256;
import dev.grove.semver.SemVer;

/**
 * One member of a cascade: the package it runs, named for people by {@code name@version} and pinned by the digest of its
 * contract (the digest decides; a member whose contract has another digest is not this member).
 */
public record CascadeMember(PackageName name, SemVer version, Sha256 digest) {
    /** {@code name@version}. */
    public PackageRef ref() {
        return PackageRef.of(name, version);
    }
}
