package dev.grove.cli;

import dev.grove.cli.breed.ModelCard;
import dev.grove.cli.command.CommandFailure;
import dev.grove.cli.command.GroveSubcommand;
import dev.grove.cli.pack.PackageDirectory;
import dev.grove.cli.breed.Scaffold;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonObject;
import dev.grove.pkg.PackageName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/** {@code grove init}: a valid package directory to start from, with a small model trained for the chosen task. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Scaffold a package directory that publishes as it is, with a small model trained for a task.",
                "--task text-classification (default): sentiment of a short English text (negative/positive); "
                        + "--task language-id: English, French or German.",
                "Writes grove.json (the contract), lineage.json (operator train, data by digest), evaluation.json "
                        + "(accuracy measured on the held-out set), weights/model.safetensors (an mlp over hashed "
                        + "character n-grams), and the data it was trained and evaluated on: data/train.tsv and "
                        + "data/heldout.tsv (label TAB text). Deterministic: the same arguments give the same bytes.",
                "Then edit or extend the data, retrain with grove train, and publish (grove publish DIR --key FILE)."})
public final class InitCommand extends GroveSubcommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "The package name, namespace/name (e.g. myteam/sentiment).")
    String name;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Directory to create; must be new or empty.")
    Path dir;

    @Option(names = "--license", paramLabel = "SPDX", defaultValue = "Apache-2.0",
            description = "SPDX license id of the package (default: ${DEFAULT-VALUE}).")
    String license;

    @Option(names = "--task", paramLabel = "TASK", defaultValue = "text-classification",
            description = "text-classification (sentiment, negative/positive) or language-id (en/fr/de) "
                    + "(default: ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--json", description = "Print the result as JSON: ref, name, version, dir, task, labels, "
            + "parameters, accuracy and samples (of the held-out evaluation).")
    boolean json;

    @Override
    protected void run() throws IOException {
        PackageName packageName;
        try {
            packageName = PackageName.parse(name);
        } catch (IllegalArgumentException e) {
            throw CommandFailure.usage(e.getMessage());
        }
        if (license.isBlank()) {
            throw CommandFailure.usage("--license must not be empty");
        }
        Scaffold.Task scaffold = Scaffold.Task.of(task).orElseThrow(() -> CommandFailure.usage(
                "unknown --task '" + task + "'; grove init can scaffold: " + Scaffold.Task.names()));
        if (!PackageDirectory.isAbsentOrEmpty(dir)) {
            throw CommandFailure.refused(dir + " is not empty; grove init only writes into a new or empty directory");
        }
        Scaffold.Result result = Scaffold.write(dir, packageName, license, scaffold);
        if (json) {
            printJson(JsonObject.builder().put("ref", packageName + "@" + Scaffold.VERSION)
                    .put("name", packageName.toString()).put("version", Scaffold.VERSION)
                    .put("dir", dir.toAbsolutePath().normalize().toString()).put("task", scaffold.id())
                    .put("labels", JsonArray.ofStrings(result.labels())).put("parameters", result.parameters())
                    .put("accuracy", result.accuracy()).put("samples", result.samples()).build());
            return;
        }
        out().println("created " + packageName + "@" + Scaffold.VERSION + " in " + dir + " (" + scaffold.id() + ": "
                + String.join(", ", result.labels()) + ")");
        out().println("  " + PackageDirectory.CONTRACT + "          contract (" + result.parameters() + " parameters)");
        out().println("  " + PackageDirectory.LINEAGE + "        operator train on " + Scaffold.TRAIN);
        out().println("  " + PackageDirectory.EVALUATION + "     accuracy " + String.format(Locale.ROOT, "%.4f",
                result.accuracy()) + " on " + result.samples() + " held-out samples (" + Scaffold.HELDOUT + ")");
        out().println("  " + Scaffold.WEIGHTS);
        out().println("  " + ModelCard.PATH + "           model card, from the cards above");
        out().println("next: grove publish " + dir + " --key FILE --registry URL");
    }
}
