package dev.grove.node.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grove.crypto.Ed25519PrivateKey;
import dev.grove.node.Features;
import dev.grove.node.Node;
import dev.grove.node.http.HttpLimits;
import dev.grove.node.testing.NodeHttp;
import dev.grove.node.testing.TestNode;
import dev.grove.node.testing.TestPackage;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A few thousand hostile requests ({@link HostileRequests}, fixed seed) over every operation of {@code docs/openapi.yaml}
 * against a real node holding one package: no answer is a 5xx, none hangs, and the node stores exactly what it stored
 * before (its versions, log, namespaces, keys, reports, tokens, yanks and blobs), then still serves the package.
 */
class HostileRequestsFuzzTest {

    static final Path SPEC = Path.of("..", "docs", "openapi.yaml");
    static final int REQUESTS = 3000;
    static final long SEED = 20261202;

    @TempDir
    static Path data;
    static Vertx vertx;
    static Node node;
    static NodeHttp http;
    static TestPackage published;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        // short body windows, so that a body the generator cuts short is timed out within the run
        HttpLimits limits = HttpLimits.defaults().withBodyPace(Duration.ofSeconds(1), 1024);
        node = TestNode.start(vertx, TestNode.config(data).withLimits(limits), Features::all);
        http = new NodeHttp(node.port());
        published = TestPackage.builder("fuzz/model", "1.0.0").build(Ed25519PrivateKey.generate());
        assertThat(http.publish(published).status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        TestNode.stop(node, vertx);
    }

    @Test
    void everyDocumentedRouteAnswersHostileRequestsWithoutAServerError_andStoresNothing() throws Exception {
        List<HostileRequests.Operation> operations = HostileRequests.operations(SPEC);
        assertThat(operations).hasSizeGreaterThan(30);
        HostileRequests generator = new HostileRequests(operations, new HostileRequests.Known("fuzz", "model", "1.0.0",
                published.digest().toString(), published.bundleJson()), SEED);
        Map<String, Long> before = storedState();

        List<String> serverErrors = new ArrayList<>();
        Map<String, Long> histogram = HostileRequests.run(generator, "127.0.0.1", node.port(), REQUESTS, 4, 20_000,
                serverErrors);
        System.out.println("hostile requests: " + histogram);

        assertThat(serverErrors).as("requests answered with a 5xx").isEmpty();
        assertThat(histogram.keySet()).as("every request answered, or its connection closed")
                .doesNotContain("timeout", "partial", "garbled", "connect-failed");
        assertThat(histogram.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(REQUESTS);
        assertThat(histogram.keySet()).as("the generator reaches past the first checks").contains("200", "400", "404");

        assertThat(storedState()).as("what the node stores").isEqualTo(before);
        assertThat(http.get("/v1/packages/fuzz/model/versions/1.0.0").json().getString("digest"))
                .isEqualTo(published.digest().toString());
        assertThat(http.get("/healthz").status()).isEqualTo(200);
    }

    static Map<String, Long> storedState() throws IOException {
        Map<String, Long> state = new LinkedHashMap<>();
        for (String sql : List.of("SELECT count(*) FROM package_versions", "SELECT count(*) FROM package_versions WHERE yanked",
                "SELECT count(*) FROM log_entries", "SELECT count(*) FROM namespaces", "SELECT count(*) FROM namespace_keys",
                "SELECT count(*) FROM keyset_changes", "SELECT count(*) FROM reports", "SELECT count(*) FROM spent_tokens",
                "SELECT count(*) FROM version_artifacts", "SELECT count(*) FROM lineage_edges")) {
            state.put(sql, TestNode.await(node.pool().query(sql).execute()).iterator().next().getLong(0));
        }
        try (Stream<Path> files = Files.walk(node.config().blobDir())) {
            state.put("blob files", files.filter(Files::isRegularFile).count());
        }
        return state;
    }
}
