package dev.grove.cli;

import dev.grove.cli.client.TransferProgress;
import dev.grove.cli.command.GroveSubcommand;
import dev.grove.cli.pack.PackageDirectory;
import dev.grove.json.Json;
import dev.grove.json.JsonArray;
import dev.grove.json.JsonNumber;
import dev.grove.json.JsonObject;
import dev.grove.json.JsonString;
import dev.grove.json.JsonValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** {@code grove cache list|clear}: the package cache {@code grove pull} fills when {@code --out} is omitted. */
@Command(name = "cache", mixinStandardHelpOptions = true,
        description = {"The local package cache: packages grove pull verified, one directory per package digest.",
                "Location: $GROVE_CACHE_DIR, else $XDG_CACHE_HOME/grove, else ~/.cache/grove. A cached copy is checked "
                        + "again against a freshly verified bundle each time it is used."},
        subcommands = {CacheCommand.ListCached.class, CacheCommand.Clear.class})
public final class CacheCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: list or clear");
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the cached packages: reference, digest, size of the artifacts and directory.")
    static final class ListCached extends GroveSubcommand {
        @Option(names = "--json", description = "Print {\"cache\":DIR,\"packages\":[{\"ref\",\"digest\",\"bytes\",\"path\"}]}.")
        boolean json;

        @Override
        protected void run() throws IOException {
            Path root = PackageCache.packages();
            List<JsonValue> rows = new ArrayList<>();
            if (Files.isDirectory(root)) {
                try (Stream<Path> dirs = Files.list(root)) {
                    for (Path dir : dirs.sorted().toList()) {
                        if (!Files.isRegularFile(dir.resolve(PackageDirectory.CONTRACT))) {
                            continue;
                        }
                        String ref = "(unreadable)";
                        long bytes = 0;
                        try {
                            JsonObject contract = Json.parseObject(Files.readAllBytes(dir.resolve(PackageDirectory.CONTRACT)));
                            ref = contract.string("name") + "@" + contract.string("version");
                            bytes = contract.object("resources").integer("bytes");
                        } catch (RuntimeException e) {
                            // listed anyway: the next use verifies it or replaces it
                        }
                        rows.add(JsonObject.builder().put("ref", ref)
                                .put("digest", "sha256:" + dir.getFileName()).put("bytes", JsonNumber.of(bytes))
                                .put("path", dir.toString()).build());
                    }
                }
            }
            if (json) {
                out().println(Json.write(JsonObject.builder().put("cache", JsonString.of(PackageCache.root().toString()))
                        .put("packages", JsonArray.of(rows)).build()));
                return;
            }
            out().println("cache " + PackageCache.root() + "  (" + rows.size() + (rows.size() == 1 ? " package)" : " packages)"));
            for (JsonValue v : rows) {
                JsonObject row = (JsonObject) v;
                out().printf("  %-36s %10s  %s%n", row.string("ref"), TransferProgress.bytes(row.integer("bytes")),
                        row.string("digest"));
            }
        }
    }

    @Command(name = "clear", mixinStandardHelpOptions = true, description = "Delete every cached package.")
    static final class Clear extends GroveSubcommand {
        @Option(names = "--json", description = "Print {\"cleared\":N,\"dir\":DIR} as JSON.")
        boolean json;

        @Override
        protected void run() throws IOException {
            Path root = PackageCache.packages();
            int n = 0;
            if (Files.isDirectory(root)) {
                try (Stream<Path> dirs = Files.list(root)) {
                    for (Path dir : dirs.toList()) {
                        PullCommand.deleteTree(dir);
                        n++;
                    }
                }
            }
            if (json) {
                printJson(JsonObject.builder().put("cleared", n).put("dir", root.toString()).build());
                return;
            }
            out().println("cleared " + n + (n == 1 ? " package" : " packages") + " from " + root);
        }
    }
}
