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
        assertThat(result.out()).contains("keygen", "init", "publish", "pull", "verify", "info", "search", "yank", "keyset");
    }
}
