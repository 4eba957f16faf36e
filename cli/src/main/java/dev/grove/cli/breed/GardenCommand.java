package dev.grove.cli.breed;

import dev.grove.cli.command.CommandFailure;
import dev.grove.cli.command.GroveSubcommand;
import dev.grove.cli.pack.PackageDirectory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;

/** {@code grove garden build}: trains and breeds the garden from {@code examples/data}. */
@Command(name = "garden", mixinStandardHelpOptions = true,
        description = "The garden of small models that Grove trains and breeds from examples/data.",
        subcommands = {GardenCommand.BuildCommand.class, CommandLine.HelpCommand.class})
public final class GardenCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: build");
    }

    @Command(name = "build", mixinStandardHelpOptions = true,
            description = {"Train and breed every garden package (base langid, int8, distilled, Nordic fine-tune, merge, "
                    + "pruned, sentiment) into DIR, one package directory each. Deterministic; progress on stderr."})
    public static final class BuildCommand extends GroveSubcommand {
        @Option(names = "--out", required = true, paramLabel = "DIR", description = "New or empty directory.")
        Path out;

        @Option(names = "--data", defaultValue = "examples/data", paramLabel = "DIR",
                description = "The garden data (default: ${DEFAULT-VALUE}).")
        Path data;

        @Option(names = "--json", description = "Print {\"packages\":[...]} as JSON, each package as grove train --json "
                + "prints it.")
        boolean json;

        @Override
        protected void run() throws IOException {
            if (!PackageDirectory.isAbsentOrEmpty(out)) {
                throw CommandFailure.refused(out + " is not empty; grove garden build writes into a new directory");
            }
            try {
                java.util.List<Breeding.Result> built = Garden.build(data, out, err());
                if (json) {
                    printJson(dev.grove.json.JsonObject.builder().put("packages", dev.grove.json.JsonArray.of(
                            built.stream().map(BreedSubcommand::result).toList())).build());
                    return;
                }
                for (Breeding.Result r : built) {
                    out().printf(java.util.Locale.ROOT, "%-28s accuracy %.4f  %6d parameters  %7d bytes  %s%n",
                            r.ref(), r.evaluation().accuracy(), r.parameters(), r.bytes(), r.dir());
                }
            } catch (BreedingFailure e) {
                throw CommandFailure.refused(e.getMessage());
            }
        }
    }
}
