/**
 * A registry node and its boot sequence. {@link dev.grove.node.Node} owns the order a node starts and stops in: the
 * database (embedded or external), the pool, the schema migration (once per node), the blob store, the features'
 * jobs (each deployed once per node) and the HTTP verticles ({@link dev.grove.node.RegistryVerticle}, one per event
 * loop, which only serve); stopping reverses it. {@link dev.grove.node.NodeConfig} is the node's configuration, read
 * once, with its defaults in one place; {@link dev.grove.node.Features} is the one list of the node's features, each a
 * {@link dev.grove.node.feature.Feature}: its routes ({@link dev.grove.node.feature.RouteModule}) and its background work
 * ({@link dev.grove.node.feature.NodeJob}). The features themselves live in the sub-packages, one per feature.
 */
package dev.grove.node;
