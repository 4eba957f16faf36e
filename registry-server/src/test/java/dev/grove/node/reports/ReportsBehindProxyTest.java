package dev.grove.node.reports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.blind.Base64Url;
import dev.grove.blind.BlindSignatureException;
import dev.grove.node.Features;
import dev.grove.node.Node;
import dev.grove.node.health.NodeMetrics;
import dev.grove.node.http.TrustedProxies;
import dev.grove.node.testing.Nginx;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.TestNode;
import dev.grove.reports.ReportTokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report token limit behind a real nginx, the node trusting only nginx's address ({@code 127.0.0.1}): clients are
 * told apart by the address nginx saw (each client connects from its own loopback address, 127.0.0.2 and up), so one
 * client at its limit leaves the others theirs; an {@code X-Forwarded-For} written by the client itself changes
 * nothing, through nginx (it appends the address it saw, the rightmost) or talking to the node directly (its header is
 * not read at all).
 */
class ReportsBehindProxyTest {

    static final int BURST = 2;
    static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    static Path data;
    static Vertx vertx;
    static Node node;
    static Nginx nginx;
    static ReportClient issuer;

    @BeforeAll
    static void start() {
        vertx = NodeMetrics.createVertx();
        // one token an hour back: nothing refills while the test runs
        node = TestNode.start(vertx, TestNode.config(data)
                .withReports(ReportSettings.defaults().withTokenLimit(BURST, 1))
                .withTrustedProxies(TrustedProxies.of(List.of("127.0.0.1/32"))), Features::all);
        nginx = Nginx.balance(List.of(node.port()));
        issuer = new ReportClient(new NodeHttp(node.port()));
    }

    @AfterAll
    static void stop() {
        if (nginx != null) {
            nginx.close();
        }
        TestNode.stop(node, vertx);
    }

    @Test
    void eachClientBehindTheProxy_hasItsOwnLimit_andCannotSpoofAnother() {
        String a = "127.0.0.2";
        String b = "127.0.0.3";
        for (int i = 0; i < BURST; i++) {
            assertThat(askToken(a, nginx.port(), "")).as("client a, token " + i).isEqualTo(200);
        }
        assertThat(askToken(a, nginx.port(), "")).as("client a beyond its burst").isEqualTo(429);
        // a's claim to be someone else: nginx appends a's own address, which the node takes
        assertThat(askToken(a, nginx.port(), "X-Forwarded-For: 127.0.0.99\r\n")).isEqualTo(429);
        assertThat(askToken(a, nginx.port(), "X-Forwarded-For: 127.0.0.98, 127.0.0.97\r\n")).isEqualTo(429);
        // b, behind the same proxy, still has its own burst
        for (int i = 0; i < BURST; i++) {
            assertThat(askToken(b, nginx.port(), "")).as("client b, token " + i).isEqualTo(200);
        }
        assertThat(askToken(b, nginx.port(), "")).isEqualTo(429);
    }

    @Test
    void aClientTalkingDirectly_isCountedByItsConnection_whateverItsForwardedFor() {
        String direct = "127.0.0.4";
        for (int i = 0; i < BURST; i++) {
            assertThat(askToken(direct, node.port(), "X-Forwarded-For: 127.0.0." + (50 + i) + "\r\n"))
                    .as("direct client, token " + i).isEqualTo(200);
        }
        assertThat(askToken(direct, node.port(), "X-Forwarded-For: 127.0.0.60\r\n")).isEqualTo(429);
        assertThat(askToken(direct, node.port(), "")).isEqualTo(429);
        // and the addresses it named were never charged: a client behind the proxy at one of them has its burst
        assertThat(askToken("127.0.0.50", nginx.port(), "")).isEqualTo(200);
    }

    /** A token request from {@code from} (a loopback address) to {@code port}; its status. */
    static int askToken(String from, int port, String headers) {
        String body;
        try {
            body = new JsonObject().put("blindedMessage", Base64Url.encode(ReportTokens.request(issuer.issuer,
                    RANDOM::nextBytes).blindedMessage())).encode();
        } catch (BlindSignatureException e) {
            throw new IllegalStateException(e);
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String request = "POST /v1/reports/tokens HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n"
                + "Connection: close\r\n" + headers + "\r\n" + body;
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
            }
            String answer = out.toString(StandardCharsets.UTF_8);
            assertThat(answer).as("an HTTP answer").startsWith("HTTP/1.1 ");
            return Integer.parseInt(answer.substring(9, 12));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
