package dev.grove.cli;

import dev.grove.cli.client.Downloaded;
import dev.grove.cli.client.RegistryClient;
import dev.grove.cli.client.TransferProgress;
import dev.grove.cli.command.CommandFailure;
import dev.grove.cli.command.GroveSubcommand;
import dev.grove.cli.pack.PackageDirectory;
import dev.grove.cli.pack.PrettyJson;
import dev.grove.cli.pack.VerificationException;
import dev.grove.cli.trust.LogKeys;
import dev.grove.cli.trust.PackageTarget;
import dev.grove.cli.trust.VersionCheck;
import dev.grove.crypto.KeyId;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonBoolean;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonString;
import dev.grove.json.JsonValue;
import dev.grove.pkg.Artifact;
import dev.grove.pkg.Bundle;
import dev.grove.pkg.Contract;
import dev.grove.verify.LogProof;
import dev.grove.verify.VerifiedVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code grove pull}: fetch a package and verify everything before anything appears in the output directory. The package
 * is assembled in a temporary directory beside DIR and renamed into place only when every check passed.
 */
@Command(name = "pull", mixinStandardHelpOptions = true,
        description = {"Download a package and verify every signature, digest and log proof.",
                "Checks the three signed documents against the keys in the bundle (and --trusted-key, if given), that the "
                        + "signer belongs to the namespace's keyset (now or earlier), the card digests and the package "
                        + "digest, and that the version is an entry of its origin's log, proven against a checkpoint "
                        + "signed by the log's pinned key (pinned on first use; see grove trust); downloads each "
                        + "artifact while hashing it and checks its size and SHA-256. Writes DIR only when everything "
                        + "verified; otherwise exits 1 naming what failed and leaves DIR untouched."})
public final class PullCommand extends GroveSubcommand {

    @Parameters(index = "0", paramLabel = "[ORIGIN/]NAMESPACE/NAME[@VERSION]",
            description = {"The package, e.g. demo/langid@1.0.0 (without a version: the latest release).",
                    "With an origin, a package the node mirrors from another node's log, e.g. "
                            + "a.example/grove-log/demo/langid@1.0.0. Without one, the node's own package, else the "
                            + "one origin it mirrors it from (proven in that origin's log, with that origin's key)."})
    String ref;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Directory to create; must be new or empty (default: the package cache, see grove cache; a "
                    + "cached copy is checked again against the verified bundle and used only if every digest matches).")
    Path out;

    @Option(names = "--json",
            description = "Print the result as JSON: ref, digest, path (the directory written), origin, cached, checks "
                    + "[{name, detail}], logKey, artifacts [{path, size, digest}], bytes, yanked (and yankReason), and for "
                    + "an adapter base {ref, digest, path} (its base, pulled and verified into the package cache).")
    boolean json;

    @Mixin
    RegistryOptions registry;

    /** Where the verified package is, once the command succeeded (for grove run). */
    Path placedAt;

    @Mixin
    TrustedKeysOption trusted;

    @Mixin
    WitnessOptions witnessing;

    @Override
    protected void run() throws IOException {
        Set<KeyId> trustedKeys = trusted.keyIds();
        if (out != null && !PackageDirectory.isAbsentOrEmpty(out)) {
            throw CommandFailure.refused(out + " is not empty; pull into a new or empty directory");
        }
        RegistryClient client = registry.client();
        // a plain name on a mirror may mean another origin's package: then it is proven in that origin's log
        PackageTarget located = PackageTarget.locate(client, ref);
        VersionCheck.Proven proven = VersionCheck.prove(client, located, witnessing.logKey(),
                key -> witnessing.policy(key, trustedKeys), err());
        LogKeys.Resolved logKey = proven.logKey();
        VersionCheck.Checked checked = proven.checked();
        VerifiedVersion verified = checked.version();
        Bundle bundle = checked.document().bundle();
        Contract contract = verified.pkg().contract();

        Path target = (out != null ? out : PackageCache.packageDir(verified.pkg().digest())).toAbsolutePath().normalize();
        if (out == null && Files.isDirectory(target)) {
            try {
                var report = dev.grove.cli.pack.PackageVerifier.checkFiles(PackageDirectory.at(target), bundle,
                        verified.pkg());
                proven.keep();
                Optional<Path> base = pullBase(contract);
                if (json) {
                    printJson(withBase(result(contract, verified, target, logKey, report.artifactBytes(),
                            checked.document().json()).put("cached", true), contract, base).build());
                    placedAt = target;
                    return;
                }
                out().println("pulled " + contract.ref() + " " + verified.pkg().digest() + " into " + target);
                out().println("  cache       already cached; every signed byte and artifact digest checked again ("
                        + TransferProgress.bytes(report.artifactBytes()) + ")");
                printBase(contract, base);
                placedAt = target;
                return;
            } catch (VerificationException e) {
                err().println("warning: the cached copy at " + target + " does not verify (" + e.getMessage()
                        + "); downloading it again");
                deleteTree(target);
            }
        }
        Files.createDirectories(target.getParent());
        Path staging = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".pull-");
        boolean placed = false;
        try {
            long total = 0;
            for (Artifact artifact : contract.artifacts()) {
                total += download(client, staging, artifact);
            }
            Files.write(staging.resolve(PackageDirectory.CONTRACT), bundle.contract().payload());
            Files.write(staging.resolve(PackageDirectory.LINEAGE), bundle.lineage().payload());
            Files.write(staging.resolve(PackageDirectory.EVALUATION), bundle.evaluation().payload());
            Files.write(staging.resolve(PackageDirectory.BUNDLE), PrettyJson.bytes(bundle.toJson()));
            Files.write(staging.resolve(LogProof.FILE), PrettyJson.bytes(verified.proof().toJson()));
            place(staging, target);
            placed = true;
            placedAt = target;
            proven.keep();
            Optional<Path> base = pullBase(contract);
            JsonObject doc = checked.document().json();
            if (json) {
                printJson(withBase(result(contract, verified, target, logKey, total, doc).put("cached", false),
                        contract, base).build());
            } else {
                report(contract, verified, target, logKey, total);
                printBase(contract, base);
            }
            if (doc.get("yanked").orElse(JsonBoolean.FALSE).equals(JsonBoolean.TRUE)) {
                err().println("warning: " + contract.ref() + " is yanked: " + yankReason(doc));
            }
        } finally {
            if (!placed) {
                deleteTree(staging);
            }
        }
    }

    /** An adapter is of no use without its base: pull and verify that too (into the package cache). */
    private Optional<Path> pullBase(Contract contract) {
        if (contract.adapter().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(BaseOfAdapter.pull(contract.adapter().get(), ref, registry, trusted,
                witnessing.arguments(), err()));
    }

    private void printBase(Contract contract, Optional<Path> base) {
        base.ifPresent(dir -> out().println("  base        " + contract.adapter().get().ref() + " "
                + contract.adapter().get().digest() + " pulled and verified into " + dir));
    }

    private static JsonObject.Builder withBase(JsonObject.Builder result, Contract contract, Optional<Path> base) {
        base.ifPresent(dir -> result.put("base", JsonObject.builder()
                .put("ref", contract.adapter().get().ref().toString())
                .put("digest", contract.adapter().get().digest().toString()).put("path", dir.toString()).build()));
        return result;
    }

    private void report(Contract contract, VerifiedVersion verified, Path target, LogKeys.Resolved logKey, long total) {
        out().println("pulled " + contract.ref() + " " + verified.pkg().digest() + " into "
                + (out != null ? out : target));
        out().println("  origin      " + verified.checkpoint().origin());
        for (VerifiedVersion.Check check : verified.checks()) {
            out().println(checkLine(check));
        }
        out().println("  log key     " + logKey.key() + ", " + logKey.source());
        out().println("  artifacts   " + contract.artifacts().size() + " verified, " + TransferProgress.bytes(total));
    }

    private static JsonObject.Builder result(Contract contract, VerifiedVersion verified, Path target,
            LogKeys.Resolved logKey, long bytes, JsonObject doc) {
        List<JsonValue> checks = new ArrayList<>();
        for (VerifiedVersion.Check check : verified.checks()) {
            checks.add(JsonObject.builder().put("name", check.name()).put("detail", check.detail()).build());
        }
        JsonObject.Builder result = JsonObject.builder().put("ref", contract.ref().toString())
                .put("digest", verified.pkg().digest().toString()).put("path", target.toString())
                .put("origin", verified.checkpoint().origin()).put("checks", JsonArray.of(checks))
                .put("logKey", logKey.key().toString()).put("artifacts", artifacts(contract.artifacts()))
                .put("bytes", bytes);
        boolean yanked = doc.get("yanked").orElse(JsonBoolean.FALSE).equals(JsonBoolean.TRUE);
        result.put("yanked", yanked);
        if (yanked) {
            result.put("yankReason", yankReason(doc));
        }
        return result;
    }

    /** The artifacts as {@code [{"path","size","digest"}]}, as pull and verify print them with --json. */
    static JsonArray artifacts(List<Artifact> artifacts) {
        List<JsonValue> out = new ArrayList<>();
        for (Artifact artifact : artifacts) {
            out.add(JsonObject.builder().put("path", artifact.path()).put("size", artifact.size())
                    .put("digest", artifact.digest().toString()).build());
        }
        return JsonArray.of(out);
    }

    private static String yankReason(JsonObject doc) {
        return doc.get("yankReason").filter(v -> v instanceof JsonString).map(v -> ((JsonString) v).value())
                .orElse("no reason given");
    }

    /** One passed check as a report line: {@code "  log         entry 3 of log ..."}. */
    static String checkLine(VerifiedVersion.Check check) {
        String name = check.name().length() > 11 ? check.name().substring(check.name().lastIndexOf(' ') + 1)
                : check.name();
        return String.format(java.util.Locale.ROOT, "  %-11s %s", name, check.detail());
    }

    /**
     * The origin of a global reference {@code ORIGIN/NAMESPACE/NAME[@VERSION]} (everything before the last two path
     * segments), or empty for a plain {@code NAMESPACE/NAME[@VERSION]}.
     */
    static Optional<String> originOf(String ref) {
        return PackageTarget.originOf(ref);
    }

    private long download(RegistryClient client, Path staging, Artifact artifact) throws IOException {
        Path file = staging.resolve(artifact.path()).normalize();
        if (!file.startsWith(staging)) {
            throw new VerificationException("artifact path '" + artifact.path() + "' leaves the package directory");
        }
        Files.createDirectories(file.getParent());
        Path part = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".part");
        TransferProgress progress = new TransferProgress(err(), "download", artifact.path(), artifact.size(),
                TransferProgress.terminalAttached());
        Downloaded got;
        try {
            got = client.download("/v1/blobs/" + artifact.digest(), part, artifact.size(), progress);
        } finally {
            progress.finish();
        }
        if (got.size() > artifact.size()) {
            throw new VerificationException("artifact '" + artifact.path() + "' arrived with more than the "
                    + artifact.size() + " bytes the signed contract says; download stopped");
        }
        if (got.size() != artifact.size()) {
            throw new VerificationException("artifact '" + artifact.path() + "' arrived with " + got.size()
                    + " bytes, but the signed contract says " + artifact.size());
        }
        if (!got.digest().equals(artifact.digest())) {
            throw new VerificationException("artifact '" + artifact.path() + "' arrived with digest " + got.digest()
                    + ", but the signed contract says " + artifact.digest());
        }
        Files.move(part, file, StandardCopyOption.REPLACE_EXISTING);
        return got.size();
    }

    private static void place(Path staging, Path target) throws IOException {
        if (Files.isDirectory(target)) {
            Files.delete(target); // empty, checked before the download
        }
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(staging, target);
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
