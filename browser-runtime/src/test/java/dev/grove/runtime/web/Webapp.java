package dev.grove.runtime.web;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** The browser runtime as this module builds it, and a static server for it (the browser tests open it there). */
final class Webapp {
    private Webapp() {
    }

    /** The browser runtime as built by this module's TeaVM executions. */
    static Path dir() {
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
