package dev.grove.cli;

import dev.grove.cli.client.TransferProgress;
import dev.grove.cli.command.GroveSubcommand;
import dev.grove.verify.LogProof;
import dev.grove.cli.pack.PackageVerifier;
import dev.grove.cli.trust.DirectoryCheck;
import dev.grove.crypto.KeyId;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonObject;
import dev.grove.pkg.Artifact;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code grove verify}: check a signed package directory offline, or a package on a registry (pulled into a temporary
 * directory, verified as {@code grove pull} does, then checked again offline and removed).
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Verify a signed package directory offline, or a package on a registry.",
                "Checks the signatures in grove.bundle.json, that grove.json, lineage.json and evaluation.json are exactly "
                        + "the signed bytes, the card digests, and every artifact's size and SHA-256. Exits 0 and prints "
                        + "what was checked, or names the first failure and exits 1.",
                "A reference [ORIGIN/]NAMESPACE/NAME[@VERSION] instead of DIR is pulled from --registry into a "
                        + "temporary directory (verified as grove pull does, its log proof in its origin's log), "
                        + "checked as a directory, and removed; a NAMESPACE/NAME@VERSION in the package cache (see grove "
                        + "cache) is verified there, offline, as a directory."})
public final class VerifyCommand extends GroveSubcommand {

    @Parameters(index = "0", paramLabel = "DIR|REF",
            description = "The package directory (from grove publish or grove pull), or a package reference.")
    String target;

    @Mixin
    RegistryOptions registry;

    @Mixin
    TrustedKeysOption trusted;

    @Option(names = "--log-key", paramLabel = "KEY",
            description = "The log's verifier key for the proof in " + LogProof.FILE + " (default: the key pinned in the"
                    + " known-logs file by grove pull).")
    String logKey;

    @Option(names = "--base", paramLabel = "DIR",
            description = "For an adapter: its base package directory, verified offline too (default: the base in "
                    + "the package cache, by the package digest the adapter names; grove pull of an adapter puts it "
                    + "there).")
    Path base;

    @Option(names = "--json",
            description = "Print the result as JSON: target, ok, and on success ref, digest, path (not for a "
                    + "temporary pull), signers, trusted, "
                    + "artifacts [{path, size, digest}], bytes, log (the log proof checked, or absent) and for an adapter "
                    + "base {ref, digest, path}; on a failure "
                    + "{\"target\",\"ok\":false,\"error\"}, with the same exit code.")
    boolean json;

    /** Whether the directory checked is a temporary pull, removed afterwards: then --json names no path. */
    private boolean scratchCopy;

    @Override
    protected void run() throws IOException {
        try {
            check();
        } catch (IOException | RuntimeException e) {
            if (json) {
                printJson(JsonObject.builder().put("target", target).put("ok", false)
                        .put("error", e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()).build());
            }
            throw e;
        }
    }

    private void check() throws IOException {
        PackageSource source = new PackageSource(target, registry, trusted, err());
        if (source.isPath()) {
            verify(source, source.path());
            return;
        }
        Optional<Path> cached = source.cached();
        if (cached.isPresent()) {
            err().println("found " + target + " in the package cache: " + cached.get() + " (verified again, offline)");
            verify(source, cached.get());
            return;
        }
        Path scratch = Files.createTempDirectory("grove-verify-");
        try {
            Path pulled = scratch.resolve("package");
            List<String> options = new ArrayList<>(List.of("--out", pulled.toString()));
            if (logKey != null) {
                options.add("--log-key");
                options.add(logKey);
            }
            source.pull(options, "");
            scratchCopy = true;
            verify(source, pulled);
        } finally {
            try (Stream<Path> files = Files.walk(scratch)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private void verify(PackageSource source, Path dir) throws IOException {
        Set<KeyId> trustedKeys = trusted.keyIds();
        DirectoryCheck.Checked checked = source.check(dir, Optional.ofNullable(logKey));
        PackageVerifier.Report report = checked.report();
        // an adapter is verified with its base: without one it cannot run, with another it would compute other outputs
        Optional<Path> baseDir = report.pkg().contract().adapter().isPresent()
                ? Optional.of(BaseOfAdapter.verified(report.pkg().contract().adapter().get(),
                Optional.ofNullable(base), source, err()))
                : Optional.empty();
        if (json) {
            JsonObject.Builder result = JsonObject.builder().put("target", target).put("ok", true)
                    .put("ref", report.pkg().contract().ref().toString()).put("digest", report.pkg().digest().toString())
                    .put("signers", JsonArray.ofStrings(report.pkg().signers().stream().map(KeyId::hex).toList()))
                    .put("trusted", !trustedKeys.isEmpty())
                    .put("artifacts", PullCommand.artifacts(report.artifacts())).put("bytes", report.artifactBytes());
            if (!scratchCopy) {
                result.put("path", dir.toAbsolutePath().normalize().toString());
            }
            checked.logged().flatMap(v -> v.checks().stream().filter(c -> c.name().equals("log")).findFirst())
                    .ifPresent(c -> result.put("log", c.detail()));
            baseDir.ifPresent(b -> result.put("base", JsonObject.builder()
                    .put("ref", report.pkg().contract().adapter().get().ref().toString())
                    .put("digest", report.pkg().contract().adapter().get().digest().toString())
                    .put("path", b.toAbsolutePath().normalize().toString()).build()));
            printJson(result.build());
            return;
        }
        String signers = report.pkg().signers().stream().map(KeyId::hex).collect(Collectors.joining(", "));
        out().println("verified " + report.pkg().contract().ref() + " " + report.pkg().digest());
        out().println("  signatures  contract, lineage and evaluation signed by " + signers
                + (trustedKeys.isEmpty() ? " (the key the bundle carries; pass --trusted-key to require a key you know)"
                : " (trusted)"));
        out().println("  documents   grove.json, lineage.json and evaluation.json are the signed bytes; card digests match");
        out().println("  artifacts   " + report.artifacts().size() + (report.artifacts().size() == 1 ? " file, " : " files, ")
                + TransferProgress.bytes(report.artifactBytes()) + ": sizes and SHA-256 digests match");
        for (Artifact artifact : report.artifacts()) {
            out().println("    " + artifact.path() + "  " + artifact.size() + " B  " + artifact.digest());
        }
        baseDir.ifPresent(b -> out().println("  base        " + report.pkg().contract().adapter().get().ref() + " "
                + report.pkg().contract().adapter().get().digest() + " verified at " + b));
        if (checked.logged().isPresent()) {
            checked.logged().get().checks().stream().filter(c -> c.name().equals("log"))
                    .forEach(c -> out().println(PullCommand.checkLine(c)));
        } else {
            out().println("  log         none: there is no " + LogProof.FILE + ", so nothing shows a registry accepted "
                    + "this package (grove pull keeps the proof)");
        }
    }
}
