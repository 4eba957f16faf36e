package dev.grove.cli;

import dev.grove.cli.command.CommandFailure;
import dev.grove.cli.pack.PackageDirectory;
import dev.grove.cli.trust.DirectoryCheck;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the package a command works on comes from, and the checks it passes first: a package directory, verified
 * offline ({@link DirectoryCheck}); or a reference {@code [ORIGIN/]NAMESPACE/NAME[@VERSION]}, found in the package cache
 * or pulled from {@code --registry} and verified by {@code grove pull} itself, whose report goes to standard error.
 */
final class PackageSource {

    private final String target;
    private final RegistryOptions registry;
    private final TrustedKeysOption trusted;
    private final PrintWriter err;

    /** @param target the command's DIR|REF argument */
    PackageSource(String target, RegistryOptions registry, TrustedKeysOption trusted, PrintWriter err) {
        this.target = target;
        this.registry = registry;
        this.trusted = trusted;
        this.err = err;
    }

    /** The target as a path (a directory only if {@link #isDirectory()}). */
    Path path() {
        return Path.of(target);
    }

    /** Whether the target is an existing directory. */
    boolean isDirectory() {
        return Files.isDirectory(path());
    }

    /**
     * Whether the target can only mean a directory: an existing one, or a path that is no reference (no {@code /}, or
     * starting with {@code .} or {@code /}), which is then checked, and fails, as a directory.
     */
    boolean isPath() {
        return isDirectory() || !target.contains("/") || target.startsWith(".") || target.startsWith("/");
    }

    /** The package cache's directory for a {@code NAMESPACE/NAME@VERSION} target, if any; not trusted as it is. */
    Optional<Path> cached() {
        return PackageCache.find(target);
    }

    /**
     * The directory verified offline, against the {@code --trusted-key} keys.
     *
     * @param logKey {@code --log-key}: demands a log proof
     */
    DirectoryCheck.Checked check(Path dir, Optional<String> logKey) throws IOException {
        return DirectoryCheck.check(PackageDirectory.at(dir), trusted.keyIds(), logKey, err);
    }

    /**
     * {@code grove pull} itself, with {@code --registry}, the {@code --trusted-key} keys and these options, its report on
     * standard error.
     *
     * @param options further options of grove pull (--out, --log-key, the witness options, --verbose)
     * @param refusal what a failure says before "TARGET did not pull and verify (see above)"
     * @return where the verified package is
     * @throws CommandFailure with grove pull's exit code when it failed
     */
    Path pull(List<String> options, String refusal) {
        List<String> args = new ArrayList<>(List.of(target, "--registry", registry.url()));
        for (String key : trusted.keyIds) {
            args.add("--trusted-key");
            args.add(key);
        }
        args.addAll(options);
        PullCommand command = new PullCommand();
        CommandLine pull = new CommandLine(command);
        pull.setOut(err);
        pull.setErr(err);
        int code = pull.execute(args.toArray(String[]::new));
        if (code != 0) {
            String why = refusal + target + " did not pull and verify (see above)";
            throw code == CommandFailure.UNAVAILABLE ? CommandFailure.unavailable(why, null)
                    : code == CommandFailure.USAGE ? CommandFailure.usage(why) : CommandFailure.refused(why);
        }
        return command.placedAt;
    }
}
