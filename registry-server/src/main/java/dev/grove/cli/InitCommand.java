package dev.grove.cli;

import dev.grove.cli.pack.PackageDirectory;
import dev.grove.cli.pack.Scaffold;
import dev.grove.pkg.PackageName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/** {@code grove init}: a valid package directory to start from, with a tiny untrained model. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Scaffold a package directory that publishes as it is.",
                "Writes grove.json (the contract), lineage.json, evaluation.json (the measured accuracy of the untrained "
                        + "weights on a tiny held-out set in data/heldout.txt) and weights/model.safetensors "
                        + "(a tiny MLP over hashed character n-grams, random weights from a fixed seed).",
                "Edit them, then run: grove publish DIR --key FILE"})
public final class InitCommand extends GroveSubcommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "The package name, namespace/name (e.g. demo/langid).")
    String name;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Directory to create; must be new or empty.")
    Path dir;

    @Option(names = "--license", paramLabel = "SPDX", defaultValue = "Apache-2.0",
            description = "SPDX license id of the package (default: ${DEFAULT-VALUE}).")
    String license;

    @Option(names = "--task", paramLabel = "TASK", defaultValue = "text-classification",
            description = "Task the package performs (default: ${DEFAULT-VALUE}).")
    String task;

    @Override
    protected void run() throws IOException {
        PackageName packageName;
        try {
            packageName = PackageName.parse(name);
        } catch (IllegalArgumentException e) {
            throw CommandFailure.usage(e.getMessage());
        }
        if (license.isBlank() || task.isBlank()) {
            throw CommandFailure.usage("--license and --task must not be empty");
        }
        if (!PackageDirectory.isAbsentOrEmpty(dir)) {
            throw CommandFailure.refused(dir + " is not empty; grove init only writes into a new or empty directory");
        }
        Scaffold.Result result = Scaffold.write(dir, packageName, license, task);
        out().println("created " + packageName + "@" + Scaffold.VERSION + " in " + dir);
        out().println("  " + PackageDirectory.CONTRACT + "          contract (" + result.parameters() + " parameters)");
        out().println("  " + PackageDirectory.LINEAGE + "        operator train, random initial weights");
        out().println("  " + PackageDirectory.EVALUATION + "     accuracy " + String.format(Locale.ROOT, "%.4f",
                result.accuracy()) + " on " + result.samples() + " held-out samples (" + Scaffold.HELDOUT + ")");
        out().println("  " + Scaffold.WEIGHTS);
        out().println("next: grove publish " + dir + " --key FILE --registry URL");
    }
}
