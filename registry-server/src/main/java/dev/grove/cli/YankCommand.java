package dev.grove.cli;

import dev.grove.cli.client.RegistryClient;
import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.dsse.Envelope;
import dev.grove.dsse.EnvelopeSigner;
import dev.grove.json.Json;
import dev.grove.json.JsonBoolean;
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
        Yank yank = new Yank(target.name(), SemVer.parse(target.version()), reason);
        Envelope envelope = EnvelopeSigner.sign(PayloadTypes.YANK, Json.writeBytes(yank.toJson()), signingKey);
        RegistryClient.JsonResponse response = client.postJson("/v1/packages/" + target.name().namespace() + "/"
                + target.name().name() + "/versions/" + target.version() + "/yank",
                envelope.toJsonString().getBytes(StandardCharsets.UTF_8));
        boolean changed = response.body().get("changed").orElse(JsonBoolean.TRUE).equals(JsonBoolean.TRUE);
        out().println(changed ? "yanked " + target + ": " + reason : target + " was already yanked");
    }
}
