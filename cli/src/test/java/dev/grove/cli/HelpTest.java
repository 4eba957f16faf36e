package dev.grove.cli;

import dev.grove.cli.command.CommandFailure;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HelpTest {

    @ParameterizedTest(name = "grove {0} --help")
    @CsvSource(delimiter = '|', value = {
            "keygen  | --out   | --force",
            "init    | --dir   | --license",
            "publish | --key   | --registry",
            "pull    | --out   | --trusted-key",
            "verify  | DIR     | --trusted-key",
            "info    | --json  | --registry",
            "search  | --task  | --license",
            "yank    | --reason| --key",
            "keyset  | show    | rotate",
            "keyset rotate | --add | --remove",
            "run     | --input | --top",
            "export  | --origin| --out",
    })
    void help_describesTheCommandAndItsOptions(String command, String option, String another) {
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.add("--help");
        GroveCli.Result result = GroveCli.run(args.toArray(String[]::new));

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("Usage: grove " + command).contains(option).contains(another);
        assertThat(result.err()).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void groveHelp_listsEveryClientCommand() {
        GroveCli.Result result = GroveCli.run("--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("keygen", "init", "publish", "pull", "verify", "info", "search", "yank", "keyset",
                "run");
    }

    /** Every command and subcommand, however deep, answers --help with its usage and a description. */
    @org.junit.jupiter.api.Test
    void everyCommandHasHelp() {
        List<String> paths = new ArrayList<>();
        collect(GroveCli.commandLine(), "", paths);
        assertThat(paths).contains("serve", "run", "breed quantize", "garden build", "peers", "site");
        for (String path : paths) {
            List<String> args = new ArrayList<>(List.of(path.split(" ")));
            args.add("--help");
            GroveCli.Result result = GroveCli.run(args.toArray(String[]::new));
            assertThat(result.exitCode()).as("grove " + path + " --help: " + result).isZero();
            assertThat(result.out()).as("grove " + path + " --help").contains("Usage: grove " + path);
            assertThat(result.out().lines().count()).as("grove " + path + " --help says more than its usage")
                    .isGreaterThan(2);
        }
    }

    /**
     * Every description reads as whole sentences: each paragraph of a command's description, and each option's and
     * parameter's, ends with '.', ')' or ':' (a paragraph cut off mid-sentence ends otherwise), and a command's
     * paragraphs start as sentences.
     */
    @org.junit.jupiter.api.Test
    void everyDescriptionEndsAsASentence() {
        List<String> unfinished = new ArrayList<>();
        walk(GroveCli.commandLine(), "", (path, cli) -> {
            var spec = cli.getCommandSpec();
            String[] paragraphs = spec.usageMessage().description();
            if (paragraphs.length == 0) {
                unfinished.add("grove " + path + ": no description");
            }
            for (String paragraph : paragraphs) {
                check("grove " + path, paragraph, unfinished);
                // a sentence starts with a capital, or with the name of a command or option
                if (!paragraph.isEmpty() && !Character.isUpperCase(paragraph.charAt(0)) && !paragraph.startsWith("grove ")
                        && !paragraph.startsWith("--")) {
                    unfinished.add("grove " + path + ": \"" + paragraph + "\" does not start a sentence");
                }
            }
            for (var option : spec.options()) {
                check("grove " + path + " " + option.longestName(), String.join(" ", option.description()), unfinished);
            }
            for (var parameter : spec.positionalParameters()) {
                check("grove " + path + " " + parameter.paramLabel(), String.join(" ", parameter.description()),
                        unfinished);
            }
        });
        assertThat(unfinished).as("descriptions that do not end as a sentence").isEmpty();
    }

    /** Every command and subcommand answers --help with exit 0 and a non-empty usage on standard output only. */
    @org.junit.jupiter.api.Test
    void everyCommandAnswersHelpWithExitZero() {
        List<String> paths = new ArrayList<>();
        walk(GroveCli.commandLine(), "", (path, cli) -> paths.add(path));
        assertThat(paths).contains("train", "breed quantize", "peers verify-evidence", "trust list", "keyset rotate");
        for (String path : paths) {
            List<String> args = new ArrayList<>(List.of(path.split(" ")));
            args.add("--help");
            GroveCli.Result result = GroveCli.run(args.toArray(String[]::new));
            assertThat(result.exitCode()).as("grove " + path + " --help: " + result).isZero();
            assertThat(result.out()).as("grove " + path + " --help").startsWith("Usage: grove " + path);
            assertThat(result.err()).as("grove " + path + " --help").isEmpty();
        }
    }

    /** grove train makes a package from data alone: its help speaks of no parent. */
    @org.junit.jupiter.api.Test
    void trainHelp_describesNoParent() {
        GroveCli.Result result = GroveCli.run("train", "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out().toLowerCase(java.util.Locale.ROOT)).doesNotContain("parent").contains("--package-version");
    }

    /** --version is grove's own version everywhere; a package version is --package-version. */
    @org.junit.jupiter.api.Test
    void versionMeansGrovesVersionOnEveryCommand() {
        walk(GroveCli.commandLine(), "", (path, cli) -> {
            var version = cli.getCommandSpec().findOption("--version");
            if (version != null) {
                assertThat(version.versionHelp()).as("grove " + path + " --version").isTrue();
            }
        });
        GroveCli.Result breed = GroveCli.run("breed", "quantize", "--help");
        assertThat(breed.out()).contains("--package-version");
        for (String[] args : new String[][] {{"--version"}, {"train", "--version"}, {"breed", "quantize", "--version"},
                {"publish", "--version"}}) {
            GroveCli.Result result = GroveCli.run(args);
            assertThat(result.exitCode()).as(String.join(" ", args) + ": " + result).isZero();
            assertThat(result.out()).as(String.join(" ", args)).startsWith("grove ");
        }
    }

    /** A command group without its subcommand, and an unknown option anywhere, are usage errors: exit 2, told on stderr. */
    @org.junit.jupiter.api.Test
    void missingSubcommandsAndUnknownOptions_exitWithTheUsageCode() {
        List<String> groups = new ArrayList<>(List.of(""));
        walk(GroveCli.commandLine(), "", (path, cli) -> {
            if (cli.getSubcommands().keySet().stream().anyMatch(name -> !name.equals("help"))) {
                groups.add(path);
            }
        });
        assertThat(groups).contains("trust", "keyset", "breed", "garden", "cache", "version", "peers");
        for (String group : groups) {
            if (group.equals("peers")) {
                continue; // grove peers is itself a command (its subcommand is verify-evidence)
            }
            GroveCli.Result result = GroveCli.run(group.isEmpty() ? new String[0] : group.split(" "));
            assertThat(result.exitCode()).as("grove " + group + ": " + result).isEqualTo(CommandFailure.USAGE);
            assertThat(result.err()).as("grove " + group).isNotEmpty();
        }
        List<String> paths = new ArrayList<>();
        walk(GroveCli.commandLine(), "", (path, cli) -> paths.add(path));
        for (String path : paths) {
            List<String> args = new ArrayList<>(List.of(path.split(" ")));
            args.add("--no-such-option");
            GroveCli.Result result = GroveCli.run(args.toArray(String[]::new));
            assertThat(result.exitCode()).as("grove " + path + " --no-such-option: " + result)
                    .isEqualTo(CommandFailure.USAGE);
        }
    }

    private static void check(String where, String text, List<String> unfinished) {
        String t = text.strip();
        if (t.isEmpty()) {
            unfinished.add(where + ": no description");
        } else if (!(t.endsWith(".") || t.endsWith(")") || t.endsWith(":"))) {
            unfinished.add(where + ": \"" + t + "\"");
        }
    }

    private static void walk(picocli.CommandLine cli, String prefix,
            java.util.function.BiConsumer<String, picocli.CommandLine> visit) {
        for (var e : cli.getSubcommands().entrySet()) {
            if (e.getKey().equals("help")) {
                continue;
            }
            String path = prefix.isEmpty() ? e.getKey() : prefix + " " + e.getKey();
            visit.accept(path, e.getValue());
            walk(e.getValue(), path, visit);
        }
    }

    private static void collect(picocli.CommandLine cli, String prefix, List<String> paths) {
        for (var e : cli.getSubcommands().entrySet()) {
            if (e.getKey().equals("help")) {
                continue;
            }
            String path = prefix.isEmpty() ? e.getKey() : prefix + " " + e.getKey();
            paths.add(path);
            collect(e.getValue(), path, paths);
        }
    }
}
