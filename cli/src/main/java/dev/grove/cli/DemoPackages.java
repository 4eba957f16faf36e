package dev.grove.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The sample packages {@code grove serve --demo} publishes into the node it just started, so that a newcomer's first node
 * has something to search, pull and verify. They go through the same commands a team uses ({@code keygen}, {@code init},
 * {@code publish}) against the node's own HTTP API: the demo exercises the real publish path, not a back door into the
 * database. The demo key and package directories live in {@code <data>/demo}, so a restart republishes nothing new.
 */
final class DemoPackages {

    /**
     * The fallback samples when {@code examples/garden} cannot be found (see
     * {@link dev.grove.cli.GardenDemo#locate()}): scaffolds whose evaluation cards state their (untrained)
     * accuracy honestly.
     */
    static final List<String> NAMES = List.of("demo/langid-scaffold");

    private DemoPackages() {
    }

    /**
     * Publishes the samples into the node at {@code registry}; blocking (call it from a plain thread, not an event loop).
     *
     * @return the number of packages that failed to publish (0 when all are on the node)
     */
    static int publish(Path dataDir, String registry, PrintWriter log) throws Exception {
        Path demo = dataDir.resolve("demo");
        Path key = demo.resolve("demo.key");
        Files.createDirectories(demo);
        int failures = 0;
        if (!Files.exists(key)) {
            failures += run(log, "keygen", "--out", key.toString());
        }
        java.util.Optional<Path> garden = GardenDemo.locate();
        if (garden.isPresent()) {
            // the garden of real trained and bred models (examples/garden), parents first
            return failures + GardenDemo.publish(garden.get(), demo, key, registry, log);
        }
        for (String name : NAMES) {
            Path dir = demo.resolve("packages").resolve(name.replace('/', '_'));
            if (!Files.isDirectory(dir)) {
                failures += run(log, "init", name, "--dir", dir.toString());
            }
            failures += run(log, "publish", dir.toString(), "--key", key.toString(), "--registry", registry);
        }
        return failures;
    }

    /** How many packages {@link #publish} publishes: the garden's when it is found, else the scaffolds. */
    static int count() {
        return GardenDemo.locate().isPresent()
                ? dev.grove.cli.breed.Garden.PUBLISH_ORDER.size() : NAMES.size();
    }

    private static int run(PrintWriter log, String... args) {
        var commandLine = GroveCommand.commandLine().setOut(log).setErr(log);
        return commandLine.execute(args) == 0 ? 0 : 1;
    }
}
