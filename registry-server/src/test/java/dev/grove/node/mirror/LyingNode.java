package dev.grove.node.mirror;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.grove.checkpoint.Checkpoint;
import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.logentry.LogEntries;
import dev.grove.federation.MemoryTileLog;
import dev.grove.node.testing.TestPackage;
import dev.grove.note.NoteSigner;
import dev.grove.tlog.ProofException;
import dev.grove.tlog.TileFormatException;
import dev.grove.tlog.TilePath;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A node that lies on purpose, for tests: it serves a log built with the format layer (checkpoints signed with a key the
 * test holds, hash tiles, entry bundles, consistency proofs) and blobs, and the test can make any of them lie: serve
 * another checkpoint, override a tile or bundle, another consistency proof, other bytes for a blob. Plain JDK HTTP
 * server on loopback, so it shares nothing with the node under test.
 */
final class LyingNode implements AutoCloseable {

    static {
        // small responses without Nagle's delay (the JDK server reads this once, before its first use)
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    final NoteSigner key;
    final MemoryTileLog log;
    private final HttpServer server;
    private final Set<String> boundNamespaces = new HashSet<>();

    /** The tree size the log serves (the honest checkpoint's). */
    volatile long size;
    /** A checkpoint note to serve instead of the honest one. */
    volatile String checkpoint;
    /** Consistency proof hashes to serve instead of the honest ones. */
    volatile List<byte[]> consistency;
    /** Tiles or bundles (path relative to /log/) to serve instead of the honest ones. */
    final Map<String, byte[]> tiles = new ConcurrentHashMap<>();
    final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    /** A pause before each blob is served (a slow origin). */
    volatile long blobDelayMillis;
    /** Another log to serve instead of {@link #log} (checkpoints, tiles, bundles, proofs): a fork, say. */
    volatile MemoryTileLog serving;
    /** Where blob requests are redirected to (307 to this prefix and the digest), as a node over object storage does. */
    volatile String blobRedirect;
    /** An HTTP status to answer every request with instead (0: answer normally). */
    volatile int failWith;
    /** Close every connection without an answer. */
    volatile boolean silent;

    LyingNode(String name) {
        this(NoteSigner.ed25519(name + ".grove.test/grove-log", Ed25519PrivateKey.generate()));
    }

    LyingNode(NoteSigner key) {
        this.key = key;
        this.log = new MemoryTileLog(key);
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String origin() {
        return key.name();
    }

    /** Appends the package (and the binding of its namespace, the first time), serves its weights and the new size. */
    synchronized void publish(TestPackage pkg, Ed25519PrivateKey signer) {
        String namespace = pkg.name().substring(0, pkg.name().indexOf('/'));
        if (boundNamespaces.add(namespace)) {
            log.append(LogEntries.keyset(namespace, 1, java.util.Map.of(signer.keyId(), signer.publicKey()), Optional.empty()));
        }
        log.append(LogEntries.pkg(pkg.bundle()));
        blobs.putIfAbsent(dev.grove.crypto.Sha256.of(pkg.weights()).toString(), pkg.weights());
        size = log.size();
    }

    /** A checkpoint of this log's origin with any size and root, signed with the log's key. */
    String signed(long treeSize, byte[] root) {
        return MemoryTileLog.sign(new Checkpoint(origin(), treeSize, root), key);
    }

    private void handle(HttpExchange x) throws IOException {
        try {
            if (silent) {
                return;
            }
            if (failWith != 0) {
                send(x, failWith, "text/plain", "failing on purpose".getBytes(StandardCharsets.UTF_8));
                return;
            }
            route(x);
        } catch (ProofException | TileFormatException | RuntimeException e) {
            send(x, 404, "text/plain", String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8));
        } finally {
            x.close();
        }
    }

    private void route(HttpExchange x) throws IOException, ProofException, TileFormatException {
        {
            String path = x.getRequestURI().getPath();
            if (path.equals("/.well-known/grove/node")) {
                send(x, 200, "application/json", new JsonObject().put("publicUrl", url()).put("logOrigin", origin())
                        .put("logKey", key.verifier().toString()).encode().getBytes(StandardCharsets.UTF_8));
            } else if (path.equals("/log/checkpoint")) {
                String cp = checkpoint != null ? checkpoint : served().checkpoint(size);
                send(x, 200, "text/plain; charset=utf-8", cp.getBytes(StandardCharsets.UTF_8));
            } else if (path.startsWith("/log/tile/")) {
                String tile = path.substring("/log/".length());
                byte[] bytes = tiles.get(tile);
                if (bytes == null) {
                    bytes = served().tile(TilePath.parse(tile), size);
                }
                send(x, 200, "application/octet-stream", bytes);
            } else if (path.equals("/v1/log/consistency")) {
                Map<String, String> q = query(x.getRequestURI().getRawQuery());
                List<byte[]> proof = consistency != null ? consistency
                        : served().consistency(Long.parseLong(q.get("from")), Long.parseLong(q.get("to")));
                JsonArray hashes = new JsonArray();
                proof.forEach(h -> hashes.add(Base64.getEncoder().encodeToString(h)));
                send(x, 200, "application/json", new JsonObject().put("from", Long.parseLong(q.get("from")))
                        .put("to", Long.parseLong(q.get("to"))).put("hashes", hashes).encode()
                        .getBytes(StandardCharsets.UTF_8));
            } else if (path.startsWith("/v1/blobs/") && blobRedirect != null) {
                x.getResponseHeaders().add("Location", blobRedirect + path.substring("/v1/blobs/".length()));
                send(x, 307, "text/plain", new byte[0]);
            } else if (path.startsWith("/v1/blobs/")) {
                if (blobDelayMillis > 0) {
                    try {
                        Thread.sleep(blobDelayMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                byte[] blob = blobs.get(path.substring("/v1/blobs/".length()));
                if (blob == null) {
                    send(x, 404, "text/plain", "no such blob".getBytes(StandardCharsets.UTF_8));
                } else {
                    send(x, 200, "application/octet-stream", blob);
                }
            } else {
                send(x, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private MemoryTileLog served() {
        MemoryTileLog other = serving;
        return other != null ? other : log;
    }

    /** Serves the log honestly again: no lie of any kind. */
    void honestAgain() {
        checkpoint = null;
        consistency = null;
        serving = null;
        failWith = 0;
        silent = false;
        tiles.clear();
        size = log.size();
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new ConcurrentHashMap<>();
        if (raw != null) {
            for (String p : raw.split("&")) {
                int eq = p.indexOf('=');
                if (eq > 0) {
                    q.put(p.substring(0, eq), p.substring(eq + 1));
                }
            }
        }
        return q;
    }

    private static void send(HttpExchange x, int status, String type, byte[] body) throws IOException {
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            x.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
