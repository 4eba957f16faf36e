package dev.grove.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code grove}: the command line of Grove. Each subcommand is a picocli {@code @Command} class listed in
 * {@code subcommands} below: adding one is one line.
 */
@Command(name = "grove",
        mixinStandardHelpOptions = true,
        versionProvider = GroveCommand.ManifestVersion.class,
        description = "Grove: a federated registry of small, signed machine-learning model packages.",
        subcommands = {
                ServeCommand.class,
                KeygenCommand.class,
                InitCommand.class,
                VersionCommand.class,
                PublishCommand.class,
                PullCommand.class,
                VerifyCommand.class,
                InfoCommand.class,
                SearchCommand.class,
                YankCommand.class,
                KeysetCommand.class,
                PeersCommand.class,
                ExportCommand.class,
                dev.grove.cli.trust.TrustCommand.class,
                SiteCommand.class,
                RunCommand.class,
                CacheCommand.class,
                dev.grove.cli.breed.TrainCommand.class,
                dev.grove.cli.breed.BreedCommand.class,
                dev.grove.cli.breed.GardenCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class GroveCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (tests call {@code commandLine().execute(args)}). */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new GroveCommand()).setCaseInsensitiveEnumValuesAllowed(true);
        giveVersion(cli, new ManifestVersion());
        return cli;
    }

    /**
     * Every subcommand's {@code --version} (from mixinStandardHelpOptions) prints grove's version too: picocli gives a
     * subcommand no version of its own, and it would print nothing. A package's version is never {@code --version}.
     */
    private static void giveVersion(CommandLine cli, CommandLine.IVersionProvider version) {
        for (CommandLine sub : cli.getSubcommands().values()) {
            sub.getCommandSpec().versionProvider(version);
            giveVersion(sub, version);
        }
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
    }

    /** The version from the jar manifest ({@code Implementation-Version}), or "development" outside a jar. */
    static final class ManifestVersion implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = GroveCommand.class.getPackage().getImplementationVersion();
            return new String[] {"grove " + (version == null ? "development build" : version),
                    "Java ${java.version} (${java.vendor}), ${os.name} ${os.arch}"};
        }
    }
}
