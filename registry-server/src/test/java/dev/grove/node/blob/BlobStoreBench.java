package dev.grove.node.blob;

import dev.grove.crypto.Sha256;
import dev.grove.node.Node;
import dev.grove.node.NodeConfig;
import dev.grove.node.health.NodeMetrics;
import dev.grove.node.testing.S3Server;
import dev.grove.node.testing.TestNode;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Manual benchmark (not part of the test suite): a 64 MiB blob uploaded and downloaded through a node, its blobs in its
 * data directory, in a bucket of S3Proxy on loopback (filesystem backend), and in the same bucket with presigned
 * redirects (the download then goes from S3Proxy to the client). Each round uploads fresh bytes and downloads them;
 * the median of the rounds is printed, in MiB/s.
 *
 * <pre>
 * ./mvnw -B -o -q -pl registry-server -am test-compile -Dgrove.teavm.phase=none
 * ./mvnw -B -o -q -pl registry-server dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test
 * java -cp "$(cat registry-server/cp.txt):registry-server/target/classes:registry-server/target/test-classes" \
 *     dev.grove.node.blob.BlobStoreBench [rounds=5] [mib=64]
 * </pre>
 */
public final class BlobStoreBench {

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int mib = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        Path dir = Files.createTempDirectory("blob-bench");
        S3Server s3 = S3Server.start(Files.createDirectories(dir.resolve("buckets")));
        S3Server.useCredentials();
        BlobLocation.S3 bucket = s3.newBucket();
        BlobLocation.S3 redirecting = new BlobLocation.S3(bucket.bucket(), bucket.endpoint(), bucket.region(), true, true,
                "");
        Vertx vertx = NodeMetrics.createVertx();
        try {
            run(vertx, "local directory", TestNode.config(dir.resolve("local")), rounds, mib);
            run(vertx, "S3Proxy", TestNode.config(dir.resolve("s3")).withBlobs(bucket), rounds, mib);
            run(vertx, "S3Proxy, presigned", TestNode.config(dir.resolve("s3r")).withBlobs(redirecting), rounds, mib);
        } finally {
            TestNode.await(vertx.close());
            s3.close();
            System.exit(0);
        }
    }

    static void run(Vertx vertx, String name, NodeConfig config, int rounds, int mib) throws Exception {
        Node node = TestNode.start(vertx, config.withMaxBlobBytes(4L << 30), (c, s) -> List.of());
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        List<Double> up = new ArrayList<>();
        List<Double> down = new ArrayList<>();
        try {
            for (int round = 0; round <= rounds; round++) { // round 0 warms up
                byte[] bytes = new byte[mib << 20];
                new Random(round * 31L + name.hashCode()).nextBytes(bytes);
                Sha256 digest = Sha256.of(bytes);
                URI uri = URI.create("http://127.0.0.1:" + node.port() + "/v1/blobs/" + digest);
                long t0 = System.nanoTime();
                HttpResponse<String> put = http.send(HttpRequest.newBuilder(uri)
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
                long t1 = System.nanoTime();
                HttpResponse<byte[]> get = http.send(HttpRequest.newBuilder(uri).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                long t2 = System.nanoTime();
                if (put.statusCode() != 201 || get.statusCode() != 200 || !Sha256.of(get.body()).equals(digest)) {
                    throw new IllegalStateException(name + ": PUT " + put.statusCode() + " " + put.body() + ", GET "
                            + get.statusCode());
                }
                if (round > 0) {
                    up.add(mib / ((t1 - t0) / 1e9));
                    down.add(mib / ((t2 - t1) / 1e9));
                }
            }
        } finally {
            TestNode.await(node.stop());
        }
        System.out.printf("%-20s %d MiB x %d: upload %6.1f MiB/s, download %6.1f MiB/s (medians)%n", name, mib, rounds,
                median(up), median(down));
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
