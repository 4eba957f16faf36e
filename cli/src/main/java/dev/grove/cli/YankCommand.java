package dev.grove.cli;

import dev.grove.cli.client.RegistryClient;
import dev.grove.cli.command.CommandFailure;
import dev.grove.cli.command.GroveSubcommand;
import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.crypto.Sha256;
import dev.grove.dsse.Envelope;
import dev.grove.dsse.EnvelopeSigner;
import dev.grove.json.Json;
import dev.grove.json.JsonBoolean;
import dev.grove.json.JsonException;
import dev.grove.json.JsonObject;
import dev.grove.pkg.PackageRef;
import dev.grove.pkg.PayloadTypes;
import dev.grove.pkg.Yank;
import dev.grove.semver.SemVer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** {@code grove yank}: withdraw a version from {@code latest} with a signed statement. */
@Command(name = "yank", mixinStandardHelpOptions = true,
        description = {"Yank a published version: latest no longer resolves to it.",
                "Signs a yank statement with a key of the namespace's keyset and sends it to the node. The version stays "
                        + "fetchable by its exact reference and digest; yanking cannot be undone, and yanking twice is "
                        + "harmless."})
public final class YankCommand extends GroveSubcommand {

    @Parameters(index = "0", paramLabel = "NAMESPACE/NAME@VERSION", description = "The exact version to yank.")
    String ref;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why, shown to everyone who fetches it.")
    String reason;

    @Option(names = "--digest", paramLabel = "sha256:HEX", description = "The package digest of the version to yank "
            + "(default: the one the registry serves for it). The signed statement names it, so it yanks only that "
            + "content, on whichever node it is sent to.")
    String digest;

    @Option(names = "--json", description = "Print {\"ref\",\"digest\",\"reason\",\"changed\"} as JSON (changed is false "
            + "when the version was already yanked).")
    boolean json;

    @Mixin
    KeyFileOption key;

    @Mixin
    RegistryOptions registry;

    @Override
    protected void run() throws IOException {
        PackageRef target;
        try {
            target = PackageRef.parse(ref);
        } catch (IllegalArgumentException e) {
            throw CommandFailure.usage(e.getMessage());
        }
        if (target.isLatest()) {
            throw CommandFailure.usage("name the exact version to yank, e.g. " + target.name() + "@1.0.0");
        }
        if (reason.isBlank()) {
            throw CommandFailure.usage("--reason must say why the version is yanked");
        }
        Ed25519PrivateKey signingKey = key.read();
        RegistryClient client = registry.client();
        Sha256 packageDigest = digest != null ? parseDigest(digest) : servedDigest(client, target);
        Yank yank = new Yank(target.name(), SemVer.parse(target.version()), packageDigest, reason);
        Envelope envelope = EnvelopeSigner.sign(PayloadTypes.YANK, Json.writeBytes(yank.toJson()), signingKey);
        RegistryClient.JsonResponse response = client.postJson("/v1/packages/" + target.name().namespace() + "/"
                + target.name().name() + "/versions/" + target.version() + "/yank",
                envelope.toJsonString().getBytes(StandardCharsets.UTF_8));
        boolean changed = response.body().get("changed").orElse(JsonBoolean.TRUE).equals(JsonBoolean.TRUE);
        if (json) {
            printJson(JsonObject.builder().put("ref", target.toString()).put("digest", packageDigest.toString())
                    .put("reason", reason).put("changed", changed).build());
            return;
        }
        out().println(changed ? "yanked " + target + " (" + packageDigest + "): " + reason : target + " was already yanked");
    }

    private static Sha256 parseDigest(String text) {
        try {
            return Sha256.parse(text);
        } catch (IllegalArgumentException e) {
            throw CommandFailure.usage("--digest: " + e.getMessage());
        }
    }

    /** The digest the registry serves for the version: the statement will name it. */
    private static Sha256 servedDigest(RegistryClient client, PackageRef target) {
        JsonObject doc = client.getJson("/v1/packages/" + target.name().namespace() + "/" + target.name().name()
                + "/versions/" + target.version());
        try {
            return Sha256.parse(doc.string("digest"));
        } catch (JsonException | IllegalArgumentException e) {
            throw CommandFailure.refused("the registry's document of " + target + " names no package digest: "
                    + e.getMessage(), e);
        }
    }
}
