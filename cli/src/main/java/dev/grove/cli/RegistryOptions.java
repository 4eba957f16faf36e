package dev.grove.cli;

import dev.grove.cli.client.RegistryClient;
import dev.grove.cli.command.CommandFailure;
import picocli.CommandLine.Option;

/** The {@code --registry URL} option, defaulting to {@code $GROVE_REGISTRY} and then to a node on this machine. */
public final class RegistryOptions {

    @Option(names = "--registry", paramLabel = "URL",
            defaultValue = "${env:GROVE_REGISTRY:-http://localhost:8080}",
            description = "Registry node to talk to (default: $GROVE_REGISTRY, else ${DEFAULT-VALUE}).")
    String registry;

    /** A client for the chosen node; a malformed URL is a usage error. */
    public RegistryClient client() {
        try {
            return RegistryClient.connect(registry);
        } catch (IllegalArgumentException e) {
            throw CommandFailure.usage(e.getMessage());
        }
    }

    public String url() {
        return registry;
    }
}
