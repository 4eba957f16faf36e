package dev.grove.node.health;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

/** The registry a node serves is the one its Vertx records into, found once from the Vertx when it is not handed in. */
class NodeMetricsTest {

    @Test
    void theRegistryOfAVertxWithMetricsIsTheOneItWasCreatedWith() {
        NodeMetrics metrics = NodeMetrics.create();
        try {
            assertSame(metrics.registry(), NodeMetrics.of(metrics.vertx()).registry());
        } finally {
            metrics.vertx().close().await();
        }
    }

    @Test
    void aVertxWithoutMetricsGetsItsOwnRegistryWithJvmMetrics() {
        Vertx vertx = Vertx.vertx();
        try {
            NodeMetrics first = NodeMetrics.of(vertx);
            assertNotSame(first.registry(), NodeMetrics.of(vertx).registry());
            assertTrue(first.registry().scrape().contains("jvm_memory_used_bytes"));
        } finally {
            vertx.close().await();
        }
    }
}
