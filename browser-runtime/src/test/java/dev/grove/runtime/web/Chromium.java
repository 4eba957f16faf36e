package dev.grove.runtime.web;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * A real headless Chromium (Debian's {@code /usr/bin/chromium}) driven by Playwright for Java, offline: no browser
 * download ({@code PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1}); Playwright's driver jar brings its own Node. Launch flags are
 * those that work as root (see the toolchain notes). Tests call {@link #assumePresent()} first, which skips them, saying
 * why, only when the browser is not installed.
 */
final class Chromium implements AutoCloseable {
    static final Path EXECUTABLE = Paths.get("/usr/bin/chromium");
    static final List<String> FLAGS = List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync");

    final Playwright playwright;
    final Browser browser;

    private Chromium() {
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
                    + "the browser tests need a real Chromium");
        }
        Assumptions.assumeTrue(present, EXECUTABLE + " is not installed (apt-get install -y chromium)");
    }

    static Chromium launch() {
        assumePresent();
        return new Chromium();
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }

    /** The browser runtime as built by this module's TeaVM executions. */
    static Path webapp() {
        Path dir = Paths.get("target/classes/grove-runtime");
        if (!Files.isRegularFile(dir.resolve("wasm-gc/grove-runtime.wasm"))) {
            throw new IllegalStateException(dir.toAbsolutePath() + " has no TeaVM build: run the module's "
                    + "process-classes phase (mvn -pl browser-runtime verify), not the test alone with "
                    + "-Dgrove.teavm.phase=none");
        }
        return dir;
    }

    /** A static file server on 127.0.0.1 with the MIME types WebAssembly streaming compilation needs. */
    static HttpServer serve(Path root) throws IOException {
        Path base = root.toAbsolutePath().normalize();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                Path file = base.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
                if (!file.startsWith(base) || !Files.isRegularFile(file)) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                byte[] body = Files.readAllBytes(file);
                exchange.getResponseHeaders().set("Content-Type", mimeType(file.toString()));
                exchange.getResponseHeaders().set("Cache-Control", "no-store");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
        return server;
    }

    static String mimeType(String name) {
        if (name.endsWith(".wasm")) {
            return "application/wasm";
        }
        if (name.endsWith(".js") || name.endsWith(".mjs")) {
            return "text/javascript; charset=utf-8";
        }
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (name.endsWith(".json")) {
            return "application/json";
        }
        return "application/octet-stream";
    }
}
