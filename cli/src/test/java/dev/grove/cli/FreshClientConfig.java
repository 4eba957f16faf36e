package dev.grove.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives each test class its own client configuration directory ({@code grove.config.dir}), so that the log keys one
 * class's {@code grove pull} pins on first use never meet another class's node that got the same loopback port (and so
 * the same log origin) with another key; and its own package cache ({@code grove.cache.dir}). Registered for every class through the JUnit extension autodetection
 * ({@code junit-platform.properties}).
 */
public final class FreshClientConfig implements BeforeAllCallback, AfterAllCallback {
    private static final String PROPERTY = "grove.config.dir";

    private static final String CACHE_PROPERTY = "grove.cache.dir";

    private Path dir;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("grove-config-");
        System.setProperty(PROPERTY, dir.toString());
        System.setProperty(CACHE_PROPERTY, dir.resolve("cache").toString());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        System.clearProperty(PROPERTY);
        System.clearProperty(CACHE_PROPERTY);
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
