package dev.grove.cli;

import dev.grove.cli.client.RegistryClient;
import dev.grove.cli.client.TransferProgress;
import dev.grove.cli.command.CommandFailure;
import dev.grove.cli.command.GroveSubcommand;
import dev.grove.cli.pack.PackageDirectory;
import dev.grove.cli.pack.PackageSealer;
import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.json.JsonNumber;
import dev.grove.json.JsonObject;
import dev.grove.pkg.Artifact;
import dev.grove.pkg.Contract;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;

/** {@code grove publish}: seal, upload the artifacts, publish the bundle. */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = {"Sign a package directory and publish it to a registry node.",
                "Fills in grove.json's artifact sizes and digests, its card digests and resources.bytes from the files; "
                        + "checks the documents; signs grove.json, lineage.json and evaluation.json (DSSE, Ed25519) "
                        + "exactly as they are on disk; uploads the artifacts the node does not have yet; publishes; and only "
                        + "then writes grove.json's pins and grove.bundle.json (a refused publish writes nothing). Prints the "
                        + "package reference and digest.",
                "--dry-run does every local check and signs in memory, prints what would be published, and sends and "
                        + "writes nothing.",
                "The first publish into a namespace binds it to your key; publishing the same content again is harmless."})
public final class PublishCommand extends GroveSubcommand {

    @Parameters(index = "0", paramLabel = "DIR", description = "The package directory (see grove init).")
    Path dir;

    @Mixin
    KeyFileOption key;

    @Mixin
    RegistryOptions registry;

    @picocli.CommandLine.Option(names = "--dry-run",
            description = "Check and sign in memory, print what would be published; contact no node and write nothing.")
    boolean dryRun;

    @picocli.CommandLine.Option(names = "--json",
            description = "Print the result as JSON: ref, digest, signedBy, registry, artifacts [{path, size, digest}], "
                    + "dryRun, created (false when the identical package was there already) and logIndex (when the "
                    + "node names the log entry).")
    boolean json;

    @Override
    protected void run() throws IOException {
        Ed25519PrivateKey signingKey = key.read();
        PackageDirectory pkgDir = PackageDirectory.at(dir);
        PackageSealer.Sealed sealed = PackageSealer.prepare(pkgDir, signingKey);
        Contract contract = sealed.pkg().contract();
        if (dryRun && json) {
            printJson(result(contract.ref().toString(), contract, sealed.pkg().digest().toString(), signingKey).put("dryRun", true)
                    .put("created", false).build());
            return;
        }
        if (dryRun) {
            out().println("would publish " + contract.ref() + " " + sealed.pkg().digest());
            out().println("  signed by key " + signingKey.keyId().hex());
            for (Artifact artifact : contract.artifacts()) {
                out().println("  artifact " + artifact.path() + "  " + TransferProgress.bytes(artifact.size()) + "  "
                        + artifact.digest());
            }
            if (sealed.contractRewritten()) {
                out().println("  grove.json's sizes and digests would be updated from the files");
            }
            out().println("  to " + registry.url() + " (dry run: nothing sent, nothing written)");
            return;
        }
        RegistryClient client = registry.client();
        err().println("signed " + contract.ref() + " with key " + signingKey.keyId().hex());
        for (Artifact artifact : contract.artifacts()) {
            String blob = "/v1/blobs/" + artifact.digest();
            if (client.exists(blob)) {
                err().println("upload " + artifact.path() + "  " + TransferProgress.bytes(artifact.size())
                        + "  already on the node");
                continue;
            }
            TransferProgress progress = new TransferProgress(err(), "upload", artifact.path(), artifact.size(),
                    TransferProgress.terminalAttached());
            client.putFile(blob, pkgDir.artifact(artifact.path()), progress);
            progress.finish();
        }
        RegistryClient.JsonResponse response = client.postJson("/v1/packages", sealed.bundle().toJsonBytes());
        JsonObject answer = response.body();
        String ref = answer.optString("ref").orElse(contract.ref().toString());
        String digest = answer.optString("digest").orElse(sealed.pkg().digest().toString());
        if (!digest.equals(sealed.pkg().digest().toString())) {
            throw CommandFailure.refused("the node answered with digest " + digest + " for " + ref + ", but the signed "
                    + "package has digest " + sealed.pkg().digest());
        }
        sealed.write(pkgDir);
        if (sealed.contractRewritten()) {
            err().println("updated " + dir.resolve(PackageDirectory.CONTRACT) + " with the artifacts' sizes and digests");
        }
        if (json) {
            JsonObject.Builder result = result(ref, contract, digest, signingKey).put("dryRun", false)
                    .put("created", response.status() == 201);
            answer.optObject("log").flatMap(log -> log.get("index")).filter(i -> i instanceof JsonNumber)
                    .ifPresent(i -> result.put("logIndex", i));
            printJson(result.build());
            return;
        }
        if (response.status() == 201) {
            out().println("published " + ref + " " + digest);
        } else {
            out().println("already published (identical) " + ref + " " + digest);
        }
    }

    private JsonObject.Builder result(String ref, Contract contract, String digest, Ed25519PrivateKey signingKey) {
        return JsonObject.builder().put("ref", ref).put("digest", digest)
                .put("signedBy", signingKey.keyId().hex()).put("registry", registry.url())
                .put("artifacts", PullCommand.artifacts(contract.artifacts()));
    }
}
