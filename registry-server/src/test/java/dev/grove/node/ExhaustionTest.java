package dev.grove.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.crypto.Sha256;
import dev.grove.node.http.HttpLimits;
import dev.grove.node.testing.Eventually;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.RawHttp;
import dev.grove.node.testing.TestNode;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow and vanishing clients against a real node with short limits: connections whose headers never complete are closed,
 * stalled bodies are answered 408 and refused beyond the node's budget with 503 (so memory stays bounded), {@code /healthz}
 * keeps answering through all of it, and an upload aborted at any point leaves no temporary file and no open descriptor.
 */
class ExhaustionTest {

    @TempDir
    static Path data;
    static Vertx vertx;
    static Node node;
    static NodeHttp http;

    static final long BUDGET = 16L << 20;
    static final HttpLimits LIMITS = HttpLimits.defaults()
            .withHeaderTimeout(Duration.ofSeconds(2))
            .withBodyPace(Duration.ofSeconds(1), 1024)
            .withBufferedBodyBytes(BUDGET);

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        node = TestNode.start(vertx, TestNode.config(data).withLimits(LIMITS), Features::all);
        http = new NodeHttp(node.port());
    }

    @AfterAll
    static void stop() {
        TestNode.stop(node, vertx);
    }

    static Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", node.port()), 5000);
        return socket;
    }

    static void eventually(String what, BooleanSupplier condition) {
        Eventually.await(Eventually.PATIENCE, condition::getAsBoolean, what);
    }

    static void closeAll(List<Socket> sockets) {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    @Test
    void connectionsWhoseHeadersNeverCompleteAreClosed_andHealthzAnswersMeanwhile() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                Socket s = connect();
                s.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: a\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
                slow.add(s);
            }
            // a byte now and then: never idle, never done
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int open = slow.size();
            while (open > 0 && System.nanoTime() < deadline) {
                assertThat(http.get("/healthz").status()).isEqualTo(200);
                open = 0;
                for (Socket s : slow) {
                    if (s.isClosed()) {
                        continue;
                    }
                    try {
                        s.getOutputStream().write('x'); // fails once the node has closed the connection (reset)
                        open++;
                    } catch (IOException e) {
                        s.close();
                    }
                }
                Thread.sleep(200);
            }
            assertThat(open).as("connections still held by their slow headers").isZero();
        } finally {
            closeAll(slow);
        }
        assertThat(http.get("/healthz").status()).isEqualTo(200);
    }

    @Test
    void stalledBodiesAreAnswered408_refusedBeyondTheBudget_andMemoryStaysBounded() throws Exception {
        int connections = 100;
        int length = 1 << 20;
        byte[] almost = new byte[length - 1];
        java.util.Arrays.fill(almost, (byte) ' ');
        almost[0] = '{';
        long before = usedHeapAfterGc();
        List<Socket> stalled = new ArrayList<>();
        List<String> answers = new ArrayList<>();
        try {
            for (int i = 0; i < connections; i++) {
                Socket s = connect();
                OutputStream out = s.getOutputStream();
                out.write(("POST /v1/packages HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: "
                        + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                try {
                    out.write(almost);
                } catch (IOException e) {
                    // refused at once and closed before it was all sent
                }
                stalled.add(s);
            }
            long during = usedHeapAfterGc();
            assertThat(http.get("/healthz").status()).as("health while bodies are stalled").isEqualTo(200);
            assertThat(during - before).as("heap held by %d stalled 1 MiB bodies", connections)
                    .isLessThan(BUDGET + (32L << 20));

            for (Socket s : stalled) {
                s.setSoTimeout(30_000);
                answers.add(readAnswer(s));
            }
        } finally {
            closeAll(stalled);
        }
        List<String> statuses = answers.stream().map(a -> a.length() >= 12 ? a.substring(9, 12) : "none").toList();
        assertThat(statuses).as("every stalled body is answered").allMatch(s -> s.equals("408") || s.equals("503"));
        assertThat(statuses).filteredOn("503"::equals).as("beyond the budget").isNotEmpty();
        assertThat(statuses).filteredOn("408"::equals).as("held within the budget, then timed out").isNotEmpty();
        assertThat(answers).filteredOn(a -> a.startsWith("HTTP/1.1 503"))
                .allSatisfy(a -> assertThat(a.toLowerCase()).contains("retry-after: 2"));

        // the budget is given back: a full body is read again
        eventually("a body is accepted again", () -> http.post("/v1/packages", "{}").status() == 400);
        assertThat(http.get("/healthz").status()).isEqualTo(200);
    }

    /** Everything the node sends until it closes the connection. */
    static String readAnswer(Socket s) {
        StringBuilder text = new StringBuilder();
        try {
            InputStream in = s.getInputStream();
            byte[] buffer = new byte[4096];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                text.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
            }
        } catch (IOException e) {
            // reset after the answer: keep what came
        }
        return text.toString();
    }

    static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    static long temporaryUploads() throws IOException {
        Path blobs = node.config().blobDir();
        try (Stream<Path> files = Files.walk(blobs)) {
            return files.filter(p -> p.getFileName().toString().startsWith(".upload-")).count();
        }
    }

    @Test
    void anUploadAbortedAtAnyPointLeavesNoTemporaryFileAndNoDescriptor() throws Exception {
        assertThat(http.get("/healthz").status()).isEqualTo(200);
        long descriptors = openDescriptors();
        int rounds = 40;
        for (int i = 0; i < rounds; i++) {
            byte[] bytes = ("upload " + i).getBytes(StandardCharsets.UTF_8);
            String head = "PUT /v1/blobs/" + Sha256.of(bytes) + " HTTP/1.1\r\nHost: a\r\nContent-Type: "
                    + "application/octet-stream\r\nContent-Length: 200000\r\n\r\n";
            // 1: gone right after the headers, while the node opens the file
            try (Socket s = connect()) {
                s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            }
            // 2: gone half-way through the body, with a reset
            try (Socket s = connect()) {
                s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().write(new byte[100_000]);
                s.setSoLinger(true, 0);
            }
        }
        // 3: stalled half-way, until the node times it out
        List<Socket> stalled = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Socket s = connect();
            s.getOutputStream().write(("PUT /v1/blobs/" + Sha256.of(new byte[] {(byte) i}) + " HTTP/1.1\r\nHost: a\r\n"
                    + "Content-Type: application/octet-stream\r\nContent-Length: 200000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(new byte[10_000]);
            stalled.add(s);
        }
        for (Socket s : stalled) {
            s.setSoTimeout(30_000);
            assertThat(readAnswer(s)).startsWith("HTTP/1.1 408");
        }
        closeAll(stalled);
        assertThat(http.get("/healthz").status()).isEqualTo(200);

        eventually("no temporary upload is left", () -> {
            try {
                return temporaryUploads() == 0;
            } catch (IOException e) {
                return false;
            }
        });
        eventually("no descriptor is left open", () -> {
            try {
                return openDescriptors() <= descriptors + 10;
            } catch (IOException e) {
                return false;
            }
        });
        RawHttp.Answer upload = RawHttp.exchange(node.port(), "PUT /v1/blobs/" + Sha256.of(new byte[] {1, 2}) + " HTTP/1.1\r\n"
                + "Host: a\r\nContent-Type: application/octet-stream\r\nContent-Length: 2\r\nConnection: close\r\n\r\n\u0001\u0002");
        assertThat(upload.status()).as("uploads still work").contains(201);
    }
}
