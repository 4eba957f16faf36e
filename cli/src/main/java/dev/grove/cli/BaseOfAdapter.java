package dev.grove.cli;

import dev.grove.cli.command.CommandFailure;
import dev.grove.cli.trust.DirectoryCheck;
import dev.grove.pkg.AdapterBase;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The base package of an adapter, which must be verified before the adapter is used: pulled into the package cache
 * beside a pulled adapter, or found (given with {@code --base DIR}, or in the cache by its package digest) and verified
 * offline beside an adapter directory. Either way its package digest must be the one the adapter names.
 */
final class BaseOfAdapter {
    private BaseOfAdapter() {
    }

    /** The base of a pulled adapter, pulled and verified into the package cache by grove pull itself. */
    static Path pull(AdapterBase base, String adapterRef, RegistryOptions registry, TrustedKeysOption trusted,
                     List<String> options, PrintWriter err) {
        // the base lives where the adapter does: the same origin, when the adapter was named by one
        String ref = PullCommand.originOf(adapterRef).map(o -> o + "/").orElse("") + base.ref();
        Path placed = new PackageSource(ref, registry, trusted, err).pull(options, "the adapter's base: ");
        Path expected = PackageCache.packageDir(base.digest()).toAbsolutePath().normalize();
        if (!placed.toAbsolutePath().normalize().equals(expected)) {
            throw CommandFailure.refused("the adapter names its base " + base.ref() + " by package digest "
                    + base.digest() + ", but " + ref + " pulled as another package (" + placed + ")");
        }
        return placed;
    }

    /** The base of an adapter directory: {@code given}, else the cached copy by digest, verified offline. */
    static Path verified(AdapterBase base, Optional<Path> given, PackageSource source, PrintWriter err)
            throws IOException {
        Path dir = given.orElseGet(() -> PackageCache.packageDir(base.digest()));
        if (!Files.isDirectory(dir)) {
            throw CommandFailure.refused("the adapter's base " + base.ref() + " (" + base.digest() + ") is not in the "
                    + "package cache; pull it first (grove pull " + base.ref() + " --registry URL) or give --base DIR");
        }
        DirectoryCheck.Checked checked = source.check(dir, Optional.empty());
        if (!checked.report().pkg().digest().equals(base.digest())) {
            throw CommandFailure.refused("the base at " + dir + " is " + checked.report().pkg().contract().ref() + " "
                    + checked.report().pkg().digest() + ", but the adapter names " + base.ref() + " " + base.digest());
        }
        err.println("verified the adapter's base " + base.ref() + " " + base.digest() + " at " + dir);
        return dir;
    }
}
