package dev.grove.browser;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A node that lies: a proxy on 127.0.0.1 in front of a real node that passes every request through, except that, per
 * {@link #mode}, it serves weight blobs with one bit flipped ({@link Mode#TAMPER_BLOBS}) or version documents whose
 * contract signature has one bit flipped ({@link Mode#BAD_SIGNATURE}). The page under test is served through it too, so
 * the browser sees one origin.
 */
final class LyingNode implements AutoCloseable {
    enum Mode { HONEST, TAMPER_BLOBS, BAD_SIGNATURE, DOWNGRADE }

    /** Signs the forged documents of {@link Mode#DOWNGRADE}. */
    private final dev.grove.crypto.Ed25519PrivateKey intruder = dev.grove.crypto.Ed25519PrivateKey.generate();

    volatile Mode mode = Mode.HONEST;
    /** The node whose answers pass through (switched to show a client another node's history). */
    volatile int upstream;
    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    LyingNode(int nodePort) throws IOException {
        upstream = nodePort;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().toString();
                HttpResponse<byte[]> r;
                try {
                    r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + upstream + path)).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    exchange.sendResponseHeaders(502, -1);
                    return;
                }
                byte[] body = r.body();
                if (r.statusCode() == 200 && mode == Mode.TAMPER_BLOBS && path.startsWith("/v1/blobs/")) {
                    body = body.clone();
                    body[body.length - 1] ^= 1;
                }
                if (r.statusCode() == 200 && mode == Mode.BAD_SIGNATURE && path.contains("/versions/")) {
                    JsonObject doc = new JsonObject(new String(body, StandardCharsets.UTF_8));
                    JsonObject sig = doc.getJsonObject("bundle").getJsonObject("contract").getJsonArray("signatures")
                            .getJsonObject(0);
                    byte[] s = Base64.getDecoder().decode(sig.getString("sig"));
                    s[10] ^= 1;
                    sig.put("sig", Base64.getEncoder().encodeToString(s));
                    body = doc.encode().getBytes(StandardCharsets.UTF_8);
                }
                if (r.statusCode() == 200 && mode == Mode.DOWNGRADE && path.contains("/versions/")) {
                    body = downgraded(new JsonObject(new String(body, StandardCharsets.UTF_8)));
                }
                if (r.statusCode() == 200 && mode == Mode.DOWNGRADE && path.contains("/namespaces/")) {
                    JsonObject ns = new JsonObject(new String(body, StandardCharsets.UTF_8));
                    ns.put("keys", new io.vertx.core.json.JsonArray().add(intruderKey()));
                    body = ns.encode().getBytes(StandardCharsets.UTF_8);
                }
                r.headers().firstValue("Content-Type")
                        .ifPresent(t -> exchange.getResponseHeaders().set("Content-Type", t));
                exchange.getResponseHeaders().set("Cache-Control", "no-store");
                exchange.sendResponseHeaders(r.statusCode(), body.length == 0 ? -1 : body.length);
                if (body.length > 0) {
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                }
            }
        });
        server.start();
    }

    /**
     * The version document with its three envelopes signed again by another key, that key as the bundle's only one,
     * and its log proof removed: what a node in between would serve to pass its own package off as the origin's.
     */
    private byte[] downgraded(JsonObject doc) {
        JsonObject bundle = doc.getJsonObject("bundle");
        for (String which : new String[] {"contract", "lineage", "evaluation"}) {
            JsonObject envelope = bundle.getJsonObject(which);
            dev.grove.dsse.Envelope resigned = dev.grove.dsse.EnvelopeSigner.sign(envelope.getString("payloadType"),
                    Base64.getDecoder().decode(envelope.getString("payload")), intruder);
            bundle.put(which, new JsonObject(dev.grove.json.Json.write(resigned.toJson())));
        }
        bundle.put("keys", new io.vertx.core.json.JsonArray().add(intruderKey()));
        doc.remove("log");
        return doc.encode().getBytes(StandardCharsets.UTF_8);
    }

    private JsonObject intruderKey() {
        return new JsonObject(dev.grove.json.Json.write(dev.grove.pkg.PublicKeyEntry.of(intruder.publicKey()).toJson()));
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
