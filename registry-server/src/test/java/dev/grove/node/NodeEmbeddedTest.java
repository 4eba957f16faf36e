package dev.grove.node;

import static dev.grove.node.testing.TestNode.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node with no --pg-url: its own PostgreSQL in its data directory, kept across a restart. */
class NodeEmbeddedTest {

    @TempDir
    Path data;

    @Test
    void startsItsOwnDatabaseAndRestartsOnTheSameDataDirectory() {
        Vertx vertx = Vertx.vertx();
        try {
            NodeConfig config = NodeConfig.defaults().withPort(0).withHost("127.0.0.1").withDataDir(data).withInstances(1);
            for (int run = 0; run < 2; run++) {
                Node node = await(Node.start(vertx, config, (nodeConfig, services) -> List.of()));
                try {
                    assertThat(node.config().pgUrl()).isEmpty();
                    assertThat(data.resolve("postgres").resolve("PG_VERSION")).exists();
                    var response = await(WebClient.create(vertx).get(node.port(), "127.0.0.1", "/healthz").send());
                    assertThat(response.statusCode()).isEqualTo(200);
                    assertThat(await(node.pool().query("SELECT count(*) FROM schema_migrations").execute())
                            .iterator().next().getLong(0)).isPositive();
                } finally {
                    await(node.stop());
                }
                assertThat(data.resolve("postgres").resolve("postmaster.pid")).doesNotExist();
            }
        } finally {
            await(vertx.close());
        }
    }
}
