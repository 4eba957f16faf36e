package dev.grove.browser;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * A real headless Chromium ({@code /usr/bin/chromium}) driven over the DevTools protocol with the JDK's HTTP client and
 * WebSocket: no test dependency beyond the JDK (the browser-runtime module's own tests use Playwright). Launch flags are
 * those that work as root; the profile is a new empty directory, deleted on close.
 */
final class CdpChromium implements AutoCloseable {
    static final Path EXECUTABLE = Paths.get("/usr/bin/chromium");

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();

    /** Skips the calling test, saying why, when the browser is not installed. */
    static void assumePresent() {
        boolean present = Files.isExecutable(EXECUTABLE);
        if (!present) {
            System.out.println("SKIPPED: " + EXECUTABLE + " is not installed (apt-get install -y chromium)");
        }
        Assumptions.assumeTrue(present, EXECUTABLE + " is not installed (apt-get install -y chromium)");
    }

    static CdpChromium launch() throws Exception {
        assumePresent();
        return new CdpChromium();
    }

    private CdpChromium() throws Exception {
        profile = Files.createTempDirectory("grove-chromium");
        process = new ProcessBuilder(EXECUTABLE.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "about:blank")
                .redirectErrorStream(true)
                .redirectOutput(profile.resolve("chromium.log").toFile())
                .start();
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.isRegularFile(portFile) || Files.readAllLines(portFile).size() < 2) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String log = Files.exists(profile.resolve("chromium.log"))
                        ? Files.readString(profile.resolve("chromium.log")) : "";
                close();
                throw new IllegalStateException("chromium did not open its DevTools port: " + log);
            }
            Thread.sleep(50);
        }
        int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        String ws = null;
        for (Object o : new JsonArray(list)) {
            JsonObject target = (JsonObject) o;
            if ("page".equals(target.getString("type"))) {
                ws = target.getString("webSocketDebuggerUrl");
            }
        }
        if (ws == null) {
            throw new IllegalStateException("no page target in " + list);
        }
        socket = http.newWebSocketBuilder().buildAsync(URI.create(ws), new Listener()).get(10, TimeUnit.SECONDS);
        call("Runtime.enable", new JsonObject());
        call("Page.enable", new JsonObject());
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                JsonObject message = new JsonObject(text.toString());
                text.setLength(0);
                Integer id = message.getInteger("id");
                if (id != null) {
                    CompletableFuture<JsonObject> f = pending.remove(id);
                    if (f != null) {
                        f.complete(message);
                    }
                }
            }
            ws.request(1);
            return null;
        }
    }

    /** Sends one DevTools command and waits for its result. */
    JsonObject call(String method, JsonObject params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonObject> reply = new CompletableFuture<>();
        pending.put(id, reply);
        socket.sendText(new JsonObject().put("id", id).put("method", method).put("params", params).encode(), true)
                .get(10, TimeUnit.SECONDS);
        JsonObject message = reply.get(60, TimeUnit.SECONDS);
        if (message.containsKey("error")) {
            throw new IllegalStateException(method + ": " + message.getJsonObject("error").encode());
        }
        return message.getJsonObject("result");
    }

    void navigate(String url) throws Exception {
        call("Page.navigate", new JsonObject().put("url", url));
    }

    /** Evaluates an expression in the page, awaiting a promise; returns its value (JSON-compatible) or throws. */
    Object evaluate(String expression) throws Exception {
        JsonObject r = call("Runtime.evaluate", new JsonObject().put("expression", expression)
                .put("awaitPromise", true).put("returnByValue", true));
        if (r.containsKey("exceptionDetails")) {
            throw new IllegalStateException("page threw: " + r.getJsonObject("exceptionDetails").encode());
        }
        return r.getJsonObject("result").getValue("value");
    }

    /** Polls {@code condition} (a JavaScript expression) until it is true. */
    void waitFor(String condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Object v;
            try {
                v = evaluate("!!(" + condition + ")");
            } catch (IllegalStateException e) { // navigation in progress: the context went away
                v = false;
            }
            if (Boolean.TRUE.equals(v)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + condition + "; page says: "
                        + evaluate("document.body ? document.body.innerText : ''"));
            }
            Thread.sleep(25);
        }
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.abort();
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Path> paths = new ArrayList<>();
        try (var walk = Files.walk(profile)) {
            walk.forEach(paths::add);
        } catch (IOException | java.io.UncheckedIOException e) {
            // a helper process may still be writing: leave the rest to the temp cleaner
        }
        for (int i = paths.size() - 1; i >= 0; i--) {
            try {
                Files.deleteIfExists(paths.get(i));
            } catch (IOException e) {
                // as above
            }
        }
    }
}
