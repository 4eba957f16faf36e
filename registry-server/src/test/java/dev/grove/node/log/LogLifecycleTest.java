package dev.grove.node.log;

import dev.grove.node.Features;
import dev.grove.node.Node;
import dev.grove.node.testing.Eventually;
import dev.grove.node.testing.TestNode;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The integrator lives and dies with the node: an empty log gets its first checkpoint, and stopping undeploys it. */
class LogLifecycleTest {

    @TempDir
    Path data;

    @Test
    void anEmptyLogIsSignedAtStartAndTheIntegratorStopsWithTheNode() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            Node node = TestNode.start(vertx, data, Features::all);
            var cp = new LogFetch(node.port()).awaitSize(0);
            assertThat(cp.size()).isZero();
            assertThat(cp.origin()).isEqualTo("localhost:" + node.port() + "/grove-log");
            assertThat(vertx.deploymentIDs()).hasSizeGreaterThanOrEqualTo(2);   // the registry verticles and the integrator
            TestNode.await(node.stop());
            Eventually.untilAsserted(Eventually.PATIENCE, () -> assertThat(vertx.deploymentIDs()).isEmpty(),
                    "every verticle, the integrator too, is undeployed once the node has stopped");
        } finally {
            TestNode.await(vertx.close());
        }
    }
}
