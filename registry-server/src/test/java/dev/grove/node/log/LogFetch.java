package dev.grove.node.log;

import dev.grove.checkpoint.Checkpoint;
import dev.grove.checkpoint.CheckpointVerifier;
import dev.grove.node.testing.Eventually;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/** Blocking reads of a node's log over HTTP for tests. */
final class LogFetch {

    record Bytes(int status, String contentType, String cacheControl, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;

    LogFetch(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    Bytes get(String path) {
        try {
            HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return new Bytes(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""),
                    r.headers().firstValue("Cache-Control").orElse(""), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The served verifier key. */
    String logKey() {
        Bytes key = get("/.well-known/grove/log-key");
        if (key.status() != 200) {
            throw new IllegalStateException("log key: " + key.status() + " " + key.text());
        }
        return key.text().strip();
    }

    /** The served checkpoint, verified with the served key; empty before the first. */
    Optional<Checkpoint> checkpoint() {
        Bytes note = get("/log/checkpoint");
        if (note.status() == 404) {
            return Optional.empty();
        }
        try {
            return Optional.of(CheckpointVerifier.verify(note.text(), logKey()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls until the served checkpoint covers at least {@code size} entries; returns it. */
    Checkpoint awaitSize(long size) {
        return Eventually.await(Eventually.PATIENCE, this::checkpoint, cp -> cp.isPresent() && cp.get().size() >= size,
                "a checkpoint of size " + size).get();
    }
}
