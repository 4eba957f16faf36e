package dev.grove.cli;

import dev.grove.cli.command.CommandFailure;
import dev.grove.cli.command.GroveSubcommand;
import dev.grove.node.site.BundledSite;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code grove site}: the node's built-in site as a plain folder for any static host, reading from the node given.
 * Writes the pages, the browser runtime and {@code config.json}, and adds the node's origin to the page's
 * Content-Security-Policy, which otherwise lets the page talk to its own origin only.
 */
@Command(name = "site", mixinStandardHelpOptions = true,
        description = {"Write the static site as a folder for any static web host, pointed at a node.",
                "The folder holds the pages, the browser runtime (grove-runtime/) and config.json with the node's URL."
                        + " The node must allow cross-origin reads (Grove nodes do). Serve the folder as it is;"
                        + " .wasm files need the type application/wasm."})
final class SiteCommand extends GroveSubcommand {

    /** The policy's connect-src as the site ships it: its own origin only. */
    static final String CONNECT_SELF = "connect-src 'self'";

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The folder to write (created if absent).")
    Path out;

    @Option(names = {"--node", "--registry"}, paramLabel = "URL",
            defaultValue = "${env:GROVE_REGISTRY:-http://localhost:8080}",
            description = "The node the site reads from and runs packages of, e.g. https://registry.example.org"
                    + " (default: $GROVE_REGISTRY, else ${DEFAULT-VALUE}).")
    String node;

    @Option(names = "--json", description = "Print {\"out\",\"files\",\"node\"} as JSON.")
    boolean json;

    @Override
    protected void run() throws IOException {
        URI uri = nodeUri(node);
        String origin = uri.getScheme() + "://" + uri.getRawAuthority();
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw CommandFailure.usage(out + " is a file; give a folder to write the site into");
        }
        Files.createDirectories(out);
        int files = BundledSite.copyTo(out);
        String url = uri.toString().replaceAll("/+$", "");
        Files.writeString(out.resolve("config.json"), "{\"node\": \"" + url + "\"}\n", StandardCharsets.UTF_8);
        Path index = out.resolve("index.html");
        String html = Files.readString(index, StandardCharsets.UTF_8);
        if (!html.contains(CONNECT_SELF)) {
            throw new IOException("the site's index.html has no \"" + CONNECT_SELF + "\" in its Content-Security-Policy");
        }
        Files.writeString(index, html.replace(CONNECT_SELF, CONNECT_SELF + " " + origin), StandardCharsets.UTF_8);
        if (json) {
            printJson(dev.grove.json.JsonObject.builder().put("out", out.toAbsolutePath().normalize().toString())
                    .put("files", files).put("node", url).build());
            return;
        }
        out().println("wrote " + files + " files to " + out + " (site reading from " + url + ")");
    }

    private static URI nodeUri(String text) {
        try {
            URI uri = new URI(text.strip());
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    || uri.getRawAuthority() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw CommandFailure.usage("--node must be an http or https URL without query or fragment, was '"
                        + text + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw CommandFailure.usage("--node is not a URL: " + e.getMessage());
        }
    }
}
