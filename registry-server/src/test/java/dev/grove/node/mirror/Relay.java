package dev.grove.node.mirror;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * A path to a node for tests, which the test can break: it passes GETs through to the node, or answers 503 to all
 * ({@link #down}), or flips a byte of every entry bundle ({@link #flipBundles}: what a network that lies does).
 */
final class Relay implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final HttpServer server;
    volatile boolean down;
    volatile boolean flipBundles;

    Relay(String upstream) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", x -> {
            try {
                if (down) {
                    x.sendResponseHeaders(503, -1);
                    return;
                }
                String path = x.getRequestURI().getRawPath()
                        + (x.getRequestURI().getRawQuery() == null ? "" : "?" + x.getRequestURI().getRawQuery());
                HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(upstream + path)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                byte[] body = r.body();
                if (flipBundles && path.contains("/tile/entries/") && r.statusCode() == 200 && body.length > 2) {
                    body = body.clone();
                    body[body.length - 1] ^= 1;
                }
                x.getResponseHeaders().set("Content-Type", r.headers().firstValue("Content-Type")
                        .orElse("application/octet-stream"));
                x.sendResponseHeaders(r.statusCode(), body.length == 0 ? -1 : body.length);
                if (body.length > 0) {
                    x.getResponseBody().write(body);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                x.sendResponseHeaders(502, -1);
            } catch (IOException e) {
                x.sendResponseHeaders(502, -1);
            } finally {
                x.close();
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
