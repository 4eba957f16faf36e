package dev.grove.testing;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * The one launcher of every browser test in the project: a real headless Chromium (Debian's {@code /usr/bin/chromium})
 * driven by Playwright for Java, offline: no browser download ({@code PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1}); Playwright's
 * driver jar brings its own Node. Launch flags are those that work as root (see the toolchain notes). Tests call
 * {@link #assumePresent()} first, which skips them, saying why, only when the browser is not installed.
 *
 * <p>It lives in browser-runtime's tests, which this module ships as a test-jar; registry-server's tests depend on
 * that test-jar (test scope), so both modules' browser tests launch the same browser the same way.
 */
public final class Chromium implements AutoCloseable {
    public static final Path EXECUTABLE = Paths.get("/usr/bin/chromium");
    public static final List<String> FLAGS = List.of("--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync");

    public final Playwright playwright;
    public final Browser browser;

    private Chromium() {
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(EXECUTABLE)
                .setHeadless(true)
                .setArgs(FLAGS));
    }

    /** Skips the calling test, saying why, when the browser is not installed. */
    public static void assumePresent() {
        boolean present = Files.isExecutable(EXECUTABLE);
        if (!present) {
            System.out.println("SKIPPED: " + EXECUTABLE + " is not installed (apt-get install -y chromium); "
                    + "the browser tests need a real Chromium");
        }
        Assumptions.assumeTrue(present, EXECUTABLE + " is not installed (apt-get install -y chromium)");
    }

    public static Chromium launch() {
        assumePresent();
        return new Chromium();
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
