package dev.grove.cli;


import dev.grove.cli.breed.Garden;
import dev.grove.cli.breed.ModelCard;
import dev.grove.cli.breed.PackageWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * The garden as {@code grove serve --demo}'s sample packages: the prebuilt package directories committed under
 * {@code examples/garden} are copied to {@code <data>/demo/garden} and published with {@code grove publish}, parents
 * first, so the node re-checks the quantize, merge and prune claims on the way in.
 */
public final class GardenDemo {
    private static final List<String> FILES = List.of("grove.json", "lineage.json", "evaluation.json",
            PackageWriter.WEIGHTS, ModelCard.PATH);

    private GardenDemo() {
    }

    /**
     * Where {@code examples/garden} is: the system property {@code grove.garden}, else the first ancestor of the running
     * jar (or classes directory), or of the working directory, that holds {@code examples/garden/langid/grove.json}.
     */
    public static Optional<Path> locate() {
        String property = System.getProperty("grove.garden");
        if (property != null) {
            return Optional.of(Path.of(property));
        }
        try {
            Path code = Path.of(GardenDemo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Optional<Path> found = search(code.toAbsolutePath());
            if (found.isPresent()) {
                return found;
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through to the working directory
        }
        return search(Path.of("").toAbsolutePath());
    }

    private static Optional<Path> search(Path from) {
        for (Path p = from; p != null; p = p.getParent()) {
            Path garden = p.resolve("examples").resolve("garden");
            if (Files.isRegularFile(garden.resolve("langid").resolve("grove.json"))) {
                return Optional.of(garden);
            }
        }
        return Optional.empty();
    }

    /**
     * Publishes every garden package into the node at {@code registry} with {@code key}; blocking.
     *
     * @return the number of packages that failed to publish
     */
    public static int publish(Path garden, Path demoDir, Path key, String registry, PrintWriter log) throws IOException {
        int failures = 0;
        for (String name : Garden.PUBLISH_ORDER) {
            Path source = garden.resolve(name);
            Path dir = demoDir.resolve("garden").resolve(name);
            if (!Files.isRegularFile(dir.resolve("grove.json"))) {
                for (String file : FILES) {
                    if (!Files.exists(source.resolve(file))) {
                        continue; // a cascade has no weights of its own
                    }
                    Path target = dir.resolve(file);
                    Files.createDirectories(target.getParent());
                    Files.copy(source.resolve(file), target, StandardCopyOption.REPLACE_EXISTING);
                }
                // an adapter carries its training data, so that the node re-runs it
                Path data = source.resolve(dev.grove.cli.pack.ContractPins.DATA_DIR);
                if (Files.isDirectory(data)) {
                    try (var files = Files.list(data)) {
                        for (Path f : files.sorted().toList()) {
                            Path target = dir.resolve(dev.grove.cli.pack.ContractPins.DATA_DIR).resolve(f.getFileName());
                            Files.createDirectories(target.getParent());
                            Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            }
            int code = GroveCommand.commandLine().setOut(log).setErr(log)
                    .execute("publish", dir.toString(), "--key", key.toString(), "--registry", registry);
            if (code != 0) {
                failures++;
            }
        }
        return failures;
    }
}
