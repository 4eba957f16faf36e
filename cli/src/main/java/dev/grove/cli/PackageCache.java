package dev.grove.cli;

import dev.grove.crypto.Sha256;

import dev.grove.cli.pack.PackageDirectory;
import dev.grove.json.Json;
import dev.grove.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The local package cache: one verified package directory per package digest under {@code packages/<hex>}. The root is
 * the system property {@code grove.cache.dir}, else {@code $GROVE_CACHE_DIR}, else {@code $XDG_CACHE_HOME/grove}, else
 * {@code ~/.cache/grove}. A cached directory is never trusted as it is: it is checked again against a freshly verified
 * bundle (every signed byte and artifact digest) each time it is used.
 */
public final class PackageCache {
    private PackageCache() {
    }

    public static Path root() {
        String property = System.getProperty("grove.cache.dir");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String env = System.getenv("GROVE_CACHE_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "grove");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "grove");
    }

    public static Path packages() {
        return root().resolve("packages");
    }

    /** The directory of the package with this digest ({@code sha256:<hex>} gives {@code packages/<hex>}). */
    public static Path packageDir(Sha256 digest) {
        String text = digest.toString();
        return packages().resolve(text.substring(text.indexOf(':') + 1));
    }

    /**
     * The cached directory whose grove.json names {@code NAMESPACE/NAME@VERSION}, if any. What it holds is not trusted:
     * the caller verifies it as any package directory.
     */
    public static Optional<Path> find(String ref) {
        int at = ref.lastIndexOf('@');
        if (at < 0 || ref.chars().filter(c -> c == '/').count() != 1 || !Files.isDirectory(packages())) {
            return Optional.empty();
        }
        String name = ref.substring(0, at);
        String version = ref.substring(at + 1);
        try (Stream<Path> dirs = Files.list(packages())) {
            for (Path dir : dirs.sorted().toList()) {
                try {
                    JsonObject contract = Json.parseObject(Files.readAllBytes(dir.resolve(PackageDirectory.CONTRACT)));
                    if (name.equals(contract.optString("name").orElse(null))
                            && version.equals(contract.optString("version").orElse(null))) {
                        return Optional.of(dir);
                    }
                } catch (IOException | RuntimeException e) {
                    // not a usable cache entry: skipped
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Optional.empty();
    }
}
