/**
 * What an operator watches: {@code /healthz} (the node and its database) and {@code /metrics} (Prometheus text, from the
 * Micrometer registry the node's Vert.x is created with).
 */
package dev.grove.node.health;
