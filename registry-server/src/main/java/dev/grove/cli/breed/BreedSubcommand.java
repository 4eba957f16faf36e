package dev.grove.cli.breed;

import dev.grove.cli.CommandFailure;
import dev.grove.cli.GroveSubcommand;
import dev.grove.pkg.PackageName;
import dev.grove.runtime.train.TrainingProgress;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** The shared options and output of {@code grove train} and {@code grove breed ...}: progress on stderr, a summary on stdout. */
abstract class BreedSubcommand extends GroveSubcommand {

    // Not mixinStandardHelpOptions: --version here is the child's version, not the program's.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory of the new package; must be new or empty.")
    Path out;

    @Option(names = "--heldout", required = true, paramLabel = "FILE",
            description = "Held-out data (label TAB text per line) for the evaluation card. Packages do not carry it; "
                    + "for the garden's langid packages it is examples/data/langid-heldout.tsv.")
    Path heldout;

    @Option(names = "--name", paramLabel = "NS/NAME",
            description = "Package name of the child (default: NAMESPACE/<parent's name with a suffix>).")
    String name;

    @Option(names = "--namespace", paramLabel = "NS", defaultValue = "${env:GROVE_NAMESPACE}",
            description = "Your namespace, used for the child's default name (default: $GROVE_NAMESPACE). The parent's "
                    + "namespace is never used: it is bound to someone else's key.")
    String namespace;

    @Option(names = "--version", paramLabel = "SEMVER",
            description = "Version of the child package (default: the parent's). Not grove's own version: that is "
                    + "grove --version.")
    String version;

    @Option(names = "--summary", paramLabel = "TEXT", description = "Summary line of the contract (default: generated).")
    String summary;

    @Option(names = "--factor", paramLabel = "NAME", defaultValue = "label",
            description = "Name of the evaluation breakdown factor, e.g. language (default: ${DEFAULT-VALUE}).")
    String factor;

    @Option(names = "--parent-origin", paramLabel = "URL",
            description = "Base URL of the node the parents live on, recorded in the lineage card (default: none, "
                    + "meaning the node the child is published on).")
    String parentOrigin;

    protected abstract Breeding.Result breed() throws IOException;

    @Override
    protected final void run() throws IOException {
        Breeding.Result r;
        try {
            r = breed();
        } catch (BreedingFailure | IllegalArgumentException e) {
            throw CommandFailure.refused(e.getMessage());
        }
        out().println("wrote " + r.ref() + " to " + r.dir());
        out().printf(Locale.ROOT, "  %d parameters, %d bytes of weights%n", r.parameters(), r.bytes());
        out().printf(Locale.ROOT, "  held-out accuracy %.4f on %d samples%n", r.evaluation().accuracy(),
                r.evaluation().samples());
        for (int i = 0; i < r.evaluation().labels().size(); i++) {
            out().printf(Locale.ROOT, "    %-10s %.4f (%d)%n", r.evaluation().labels().get(i),
                    r.evaluation().accuracy(i), r.evaluation().samples(i));
        }
    }

    Breeding.Target target() {
        Optional<PackageName> n;
        try {
            n = Optional.ofNullable(name).map(PackageName::parse);
        } catch (IllegalArgumentException e) {
            throw CommandFailure.usage("--name: " + e.getMessage());
        }
        return new Breeding.Target(out, n, Optional.ofNullable(version), Optional.ofNullable(summary), heldout, factor,
                Optional.ofNullable(parentOrigin), Optional.ofNullable(namespace).filter(ns -> !ns.isBlank()));
    }

    TrainingProgress progress() {
        return (epoch, epochs, loss, accuracy) -> {
            err().printf(Locale.ROOT, "epoch %d/%d  loss %.4f  training accuracy %.4f%n", epoch, epochs, loss, accuracy);
            err().flush();
        };
    }

    static float[] floats(String csv, String option) {
        String[] parts = csv.split(",");
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Float.parseFloat(parts[i].trim());
            } catch (NumberFormatException e) {
                throw CommandFailure.usage(option + ": '" + parts[i] + "' is not a number");
            }
        }
        return out;
    }
}
