package dev.grove.cli;

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
