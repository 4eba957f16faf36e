package dev.grove.node.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.federation.Fault;
import dev.grove.node.testing.TestNode;
import dev.grove.tlog.TilePath;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A peer's answers are bounded while they stream (issue 14): a hostile peer on loopback (a raw socket, no HTTP library
 * in the way) answers 200 with an endless body, or announces a body of a terabyte. The client refuses each with a
 * {@code malformed} fault as soon as the body passes its bound, and closes the connection: the peer then cannot write
 * more than the bound and what the two sockets' buffers hold (both kept small here), far from the endless body it
 * offers. Without the bound the client would read until its timeout, a gigabyte a second on loopback.
 */
class BoundedReadsTest {

    /** What both sockets' buffers hold at most, with room for the kernel's doubling and one chunk in flight. */
    static final long SLACK = 1 << 20;
    static final int CHUNK = 16 * 1024;

    static Vertx vertx;
    static HttpClient http;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        http = vertx.createHttpClient(new HttpClientOptions().setReceiveBufferSize(64 * 1024).setKeepAlive(true));
    }

    @AfterAll
    static void stop() {
        TestNode.await(vertx.close());
    }

    @Test
    void anEndlessCheckpointIsRefusedAtItsBound() throws Exception {
        try (Hostile peer = new Hostile(false, -1)) {
            PeerFault fault = fails(client(peer).checkpoint());
            assertThat(fault.fault().kind()).isEqualTo(Fault.Kind.MALFORMED);
            assertThat(fault.getMessage()).contains("/log/checkpoint is larger than " + PeerClient.MAX_DOCUMENT
                    + " bytes");
            long written = peer.closed().get(30, TimeUnit.SECONDS);
            assertThat(written).as("bytes the peer could write before the client closed")
                    .isGreaterThan(PeerClient.MAX_DOCUMENT - CHUNK)
                    .isLessThanOrEqualTo(PeerClient.MAX_DOCUMENT + SLACK);
        }
    }

    @Test
    void anEndlessChunkedTileIsRefusedAtItsBound() throws Exception {
        try (Hostile peer = new Hostile(true, -1)) {
            PeerFault fault = fails(client(peer).tile(TilePath.tile(0, 0, 256)));
            assertThat(fault.fault().kind()).isEqualTo(Fault.Kind.MALFORMED);
            assertThat(fault.getMessage()).contains("is larger than " + PeerClient.MAX_TILE + " bytes");
            long written = peer.closed().get(30, TimeUnit.SECONDS);
            assertThat(written).as("bytes the peer could write before the client closed")
                    .isGreaterThan(PeerClient.MAX_TILE - CHUNK).isLessThanOrEqualTo(PeerClient.MAX_TILE + SLACK);
        }
    }

    @Test
    void aBodyAnnouncedLargerThanTheBoundIsNotRead() throws Exception {
        try (Hostile peer = new Hostile(false, 1L << 40)) {
            PeerFault fault = fails(client(peer).node());
            assertThat(fault.fault().kind()).isEqualTo(Fault.Kind.MALFORMED);
            assertThat(fault.getMessage()).contains("/.well-known/grove/node is larger than "
                    + PeerClient.MAX_DOCUMENT + " bytes");
            assertThat(peer.closed().get(30, TimeUnit.SECONDS)).as("bytes written before the client closed")
                    .isLessThanOrEqualTo(SLACK);
        }
    }

    private static PeerClient client(Hostile peer) {
        return new PeerClient(http, SourceLayout.of("http://127.0.0.1:" + peer.port()));
    }

    private static PeerFault fails(Future<?> read) throws Exception {
        Throwable failure = read.toCompletionStage().toCompletableFuture().handle((ok, e) -> e)
                .get(60, TimeUnit.SECONDS);
        assertThat(failure).as("the read fails").isInstanceOf(PeerFault.class);
        return (PeerFault) failure;
    }

    /**
     * Answers every request on one connection with 200 and a body without end (close-delimited, or chunked), or one
     * that announces {@code length} bytes; counts what it could write until the client closes.
     */
    static final class Hostile implements AutoCloseable {
        private final ServerSocket server;
        private final CompletableFuture<Long> closed = new CompletableFuture<>();
        private final Thread thread;

        Hostile(boolean chunked, long length) throws IOException {
            server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> serve(chunked, length), "hostile-peer");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        /**
         * Completes with the body bytes written once the client closed the connection: the writes that returned (the
         * one the close interrupted, at most a chunk, not counted).
         */
        CompletableFuture<Long> closed() {
            return closed;
        }

        private void serve(boolean chunked, long length) {
            AtomicLong written = new AtomicLong();
            try (Socket socket = server.accept()) {
                socket.setSendBufferSize(32 * 1024);
                InputStream in = socket.getInputStream();
                readHead(in);
                OutputStream out = socket.getOutputStream();
                String head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                        + (chunked ? "Transfer-Encoding: chunked\r\n" : length >= 0 ? "Content-Length: " + length
                        + "\r\n" : "Connection: close\r\n") + "\r\n";
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                byte[] chunk = new byte[CHUNK];
                Arrays.fill(chunk, (byte) 'x');
                byte[] size = (Integer.toHexString(CHUNK) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                byte[] crlf = "\r\n".getBytes(StandardCharsets.US_ASCII);
                while (true) {
                    if (chunked) {
                        out.write(size);
                    }
                    out.write(chunk);
                    if (chunked) {
                        out.write(crlf);
                    }
                    written.addAndGet(CHUNK);
                }
            } catch (IOException e) {
                closed.complete(written.get());
            }
        }

        private static void readHead(InputStream in) throws IOException {
            int matched = 0;
            byte[] end = {'\r', '\n', '\r', '\n'};
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("closed before the request head ended");
                }
                matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
