package dev.grove.cli.breed;

import dev.grove.cli.command.CommandFailure;
import dev.grove.pkg.PackageName;
import picocli.CommandLine.Option;

import java.util.Optional;

/** The options of the {@code grove breed} operators, whose child is named and versioned after its parent by default. */
abstract class OperatorSubcommand extends BreedSubcommand {

    @Option(names = "--name", paramLabel = "NS/NAME",
            description = "Package name of the child (default: NAMESPACE/<parent's name with a suffix>).")
    String name;

    @Option(names = "--namespace", paramLabel = "NS", defaultValue = "${env:GROVE_NAMESPACE}",
            description = "Your namespace, used for the child's default name (default: $GROVE_NAMESPACE). The parent's "
                    + "namespace is never used: it is bound to someone else's key.")
    String namespace;

    @Option(names = "--package-version", paramLabel = "SEMVER",
            description = "Version of the child package (default: the parent's).")
    String packageVersion;

    @Option(names = "--parent-origin", paramLabel = "URL",
            description = "Base URL of the node the parents live on, recorded in the lineage card (default: none, "
                    + "meaning the node the child is published on).")
    String parentOrigin;

    @Override
    final Breeding.Target target() {
        Optional<PackageName> n;
        try {
            n = Optional.ofNullable(name).map(PackageName::parse);
        } catch (IllegalArgumentException e) {
            throw CommandFailure.usage("--name: " + e.getMessage());
        }
        return new Breeding.Target(out, n, Optional.ofNullable(packageVersion), Optional.ofNullable(summary), heldout,
                factor, Optional.ofNullable(parentOrigin), Optional.ofNullable(namespace).filter(ns -> !ns.isBlank()));
    }
}
