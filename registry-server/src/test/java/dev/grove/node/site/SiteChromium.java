package dev.grove.node.site;

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
 * A real headless Chromium (Debian's {@code /usr/bin/chromium}) driven by Playwright for Java, offline: no browser
 * download; Playwright's driver jar brings its own Node. Launch flags are those that work as root. Callers call
 * {@link #assumePresent()} first, which skips them, saying why, only when the browser is not installed.
 */
final class SiteChromium implements AutoCloseable {
    static final Path EXECUTABLE = Paths.get("/usr/bin/chromium");
    static final List<String> FLAGS = List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync");

    final Playwright playwright;
    final Browser browser;

    private SiteChromium() {
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(EXECUTABLE)
                .setHeadless(true)
                .setArgs(FLAGS));
    }

    static void assumePresent() {
        boolean present = Files.isExecutable(EXECUTABLE);
        if (!present) {
            System.out.println("SKIPPED: " + EXECUTABLE + " is not installed (apt-get install -y chromium); "
                    + "the site's browser tests need a real Chromium");
        }
        Assumptions.assumeTrue(present, EXECUTABLE + " is not installed (apt-get install -y chromium)");
    }

    static SiteChromium launch() {
        assumePresent();
        return new SiteChromium();
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
