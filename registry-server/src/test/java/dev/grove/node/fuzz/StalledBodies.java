package dev.grove.node.fuzz;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stalled request bodies against a running node: {@code N} connections each declare a 1 MiB JSON body, send all of it
 * but its last byte, and wait. Meanwhile {@code /healthz} is asked once a second; at the end each connection's answer is
 * read (408 once the node timed it out, 503 when its body budget was full). Report only; the node's memory is for its
 * operator to watch ({@code /metrics}, {@code jvm_memory_used_bytes}).
 *
 * <pre>java -cp registry-server/target/test-classes:cli/target/grove.jar \
 *     dev.grove.node.fuzz.StalledBodies http://localhost:8080 600 30</pre>
 */
public final class StalledBodies {

    private StalledBodies() {
    }

    public static void main(String[] args) throws Exception {
        URI url = URI.create(args.length > 0 ? args[0] : "http://localhost:8080");
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 600;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        int length = 1 << 20;
        byte[] body = new byte[length - 1];
        Arrays.fill(body, (byte) ' ');
        body[0] = '{';
        List<Socket> stalled = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < connections; i++) {
            Socket s = new Socket();
            s.connect(new InetSocketAddress(url.getHost(), url.getPort()), 10_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/packages HTTP/1.1\r\nHost: " + url.getHost() + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            try {
                out.write(body);
            } catch (IOException e) {
                // answered and closed before it was all sent
            }
            stalled.add(s);
        }
        System.out.printf("%d connections, each with a 1 MiB body but its last byte, sent in %.1f s%n", connections,
                (System.nanoTime() - started) / 1e9);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long slowest = 0;
        int failed = 0;
        for (int t = 0; t < seconds; t++) {
            long t0 = System.nanoTime();
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(url.resolve("/healthz"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                long ms = (System.nanoTime() - t0) / 1_000_000;
                slowest = Math.max(slowest, ms);
                System.out.printf("  t=%2d s  /healthz %d in %d ms%n", t, r.statusCode(), ms);
            } catch (IOException e) {
                failed++;
                System.out.printf("  t=%2d s  /healthz failed: %s%n", t, e);
            }
            Thread.sleep(Math.max(0, 1000 - (System.nanoTime() - t0) / 1_000_000));
        }
        Map<String, Integer> answers = new TreeMap<>();
        for (Socket s : stalled) {
            s.setSoTimeout(1000);
            answers.merge(status(s), 1, Integer::sum);
            s.close();
        }
        System.out.printf("/healthz: slowest %d ms, %d failed; the stalled connections' answers: %s%n", slowest, failed,
                answers);
    }

    private static String status(Socket s) {
        byte[] head = new byte[12];
        int n = 0;
        try {
            InputStream in = s.getInputStream();
            while (n < head.length) {
                int r = in.read(head, n, head.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        } catch (IOException e) {
            // none, or reset after it
        }
        return n < 12 ? "none" : new String(head, 9, 3, StandardCharsets.US_ASCII);
    }
}
