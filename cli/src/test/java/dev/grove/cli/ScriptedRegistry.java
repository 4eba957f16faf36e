package dev.grove.cli;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A registry that answers exactly what a test scripts, for faults a real node never commits (a lying node that serves
 * tampered bytes or someone else's package). JDK HTTP server on a free loopback port.
 */
public final class ScriptedRegistry implements AutoCloseable {

    record Answer(int status, String contentType, byte[] body, String location) {
        Answer(int status, String contentType, byte[] body) {
            this(status, contentType, body, null);
        }
    }

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();

    public ScriptedRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            Answer answer = answers.getOrDefault(exchange.getRequestURI().getPath(), new Answer(404,
                    "application/problem+json", "{\"title\":\"Not Found\",\"detail\":\"nothing here\"}"
                    .getBytes(StandardCharsets.UTF_8)));
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
            if (answer.location() != null) {
                exchange.getResponseHeaders().set("Location", answer.location());
            }
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(answer.status(), head ? -1 : answer.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                if (!head) {
                    out.write(answer.body());
                }
            }
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void json(String path, String json) {
        answers.put(path, new Answer(200, "application/json", json.getBytes(StandardCharsets.UTF_8)));
    }

    public void bytes(String path, byte[] body) {
        answers.put(path, new Answer(200, "application/octet-stream", body));
    }

    public void answer(String path, int status, String contentType, String body) {
        answers.put(path, new Answer(status, contentType, body.getBytes(StandardCharsets.UTF_8)));
    }

    public void redirect(String path, String location) {
        answers.put(path, new Answer(302, "text/plain", new byte[0], location));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
