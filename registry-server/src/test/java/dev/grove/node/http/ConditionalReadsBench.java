package dev.grove.node.http;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.node.Features;
import dev.grove.node.Node;
import dev.grove.node.health.NodeMetrics;
import dev.grove.node.testing.Eventually;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.TestDatabase;
import dev.grove.node.testing.TestNode;
import dev.grove.node.testing.TestPackage;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Manual benchmark (not part of the test suite): {@code GET /log/checkpoint} of one node, whole (200) against
 * revalidated ({@code If-None-Match} with its ETag: 304), measured by {@code wrk} (Debian's {@code wrk}) in alternating
 * rounds of the same run, so that both see the same machine. Prints each round's requests per second and latency.
 *
 * <pre>
 * ./mvnw -B -o -q -pl registry-server -am test-compile -Dgrove.teavm.phase=none
 * ./mvnw -B -o -q -pl registry-server dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test
 * java -cp "$(cat registry-server/cp.txt):registry-server/target/classes:registry-server/target/test-classes" \
 *     dev.grove.node.http.ConditionalReadsBench [rounds=3] [seconds=5] [connections=16] > /dev/null
 * </pre>
 * (The node's access log goes to stdout; the figures go to stderr.)
 */
public final class ConditionalReadsBench {

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int connections = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        Path dir = Files.createTempDirectory("conditional-bench");
        Vertx vertx = NodeMetrics.createVertx();
        Node node = TestNode.start(vertx, TestNode.config(dir), Features::all);
        try {
            NodeHttp http = new NodeHttp(node.port());
            http.publish(TestPackage.builder("bench/model", "1.0.0").build(Ed25519PrivateKey.generate()));
            // the namespace's binding and the package: two entries
            Eventually.await(Duration.ofSeconds(60), () -> http.get("/log/checkpoint").body().split("\n")[1]
                    .equals("2"), "the checkpoint of the published package");
            String etag = http.getWith("/log/checkpoint").headers().firstValue("ETag").orElseThrow();
            int bytes = http.get("/log/checkpoint").body().getBytes(StandardCharsets.UTF_8).length;
            String url = "http://127.0.0.1:" + node.port() + "/log/checkpoint";
            System.err.printf("GET /log/checkpoint (%d bytes), wrk -t2 -c%d -d%ds, %d rounds each, alternating%n",
                    bytes, connections, seconds, rounds);
            wrk(url, List.of(), 2, connections); // warm-up
            wrk(url, List.of("-H", "If-None-Match: " + etag), 2, connections);
            for (int round = 1; round <= rounds; round++) {
                System.err.println("200 round " + round + ": " + wrk(url, List.of(), seconds, connections));
                System.err.println("304 round " + round + ": " + wrk(url, List.of("-H", "If-None-Match: " + etag),
                        seconds, connections));
            }
        } finally {
            TestNode.stop(node, vertx);
            TestDatabase.deleteRecursively(dir);
            System.exit(0);
        }
    }

    /** One wrk run; its summary line and latency line, and the count of non-2xx/3xx answers. */
    static String wrk(String url, List<String> headers, int seconds, int connections)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("wrk", "-t2", "-c" + connections, "-d" + seconds + "s",
                "--latency"));
        command.addAll(headers);
        command.add(url);
        Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (wrk.waitFor() != 0) {
            throw new IllegalStateException("wrk failed: " + out);
        }
        StringBuilder summary = new StringBuilder();
        for (String line : out.split("\n")) {
            String t = line.trim();
            if (t.startsWith("Requests/sec") || t.startsWith("Latency ") || t.startsWith("50%")
                    || t.startsWith("99%") || t.startsWith("Non-2xx")) {
                summary.append(t.replaceAll("\\s+", " ")).append("; ");
            }
        }
        return summary.toString();
    }
}
