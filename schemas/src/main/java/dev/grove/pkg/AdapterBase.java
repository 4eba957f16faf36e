package dev.grove.pkg;

import dev.grove.crypto.Sha256;
import dev.grove.semver.SemVer;
import java.util.Optional;

/**
 * The base package an adapter package applies to: its contract's {@code adapter.base}, present exactly when the
 * contract's {@code architecture.family} is {@link #FAMILY}. {@code digest} is the base's package digest (the SHA-256 of
 * its contract payload), {@code weights} the digest of the base's safetensors artifact that the adapter's tensors fit.
 * An adapter's lineage card cites the same base as its only parent, with operator {@code adapter}.
 */
public record AdapterBase(PackageName name, SemVer version, Sha256 digest, Sha256 weights) {
    /** The architecture family of an adapter package. */
    public static final String FAMILY = "lora";

    public AdapterBase {
        if (name == null || version == null || digest == null || weights == null) {
            throw new NullPointerException("name, version, digest and weights are required");
        }
    }

    /** {@code name@version}. */
    public PackageRef ref() {
        return PackageRef.of(name, version);
    }

    /** The base a contract names, or empty for a package that is not an adapter. */
    public static Optional<AdapterBase> of(Contract contract) {
        if (!contract.json().has("adapter")) {
            return Optional.empty();
        }
        return Optional.of(parse(new Node(contract.json(), "").object("adapter")));
    }

    /** Reads and checks a contract's {@code adapter} block against its architecture family. */
    static Optional<AdapterBase> check(Node root, String family) {
        boolean adapter = root.json().has("adapter");
        if (family.equals(FAMILY) && !adapter) {
            throw root.fail("adapter", "an architecture of family '" + FAMILY + "' needs an adapter block naming its "
                    + "base package (name, version, digest, weights)");
        }
        if (!adapter) {
            return Optional.empty();
        }
        if (!family.equals(FAMILY)) {
            throw root.fail("adapter", "only an architecture of family '" + FAMILY + "' has an adapter block, not '"
                    + PackageName.abbreviate(family) + "'");
        }
        return Optional.of(parse(root.object("adapter")));
    }

    private static AdapterBase parse(Node adapter) {
        Node base = adapter.only("base").object("base").only("name", "version", "digest", "weights");
        return new AdapterBase(base.packageName("name"), base.semver("version"), base.digest("digest"),
                base.digest("weights"));
    }
}
