/**
 * What every feature of a node shares, below the features and the node that assembles them: a feature's routes
 * ({@link dev.grove.node.feature.RouteModule}), its jobs ({@link dev.grove.node.feature.NodeJob}), the pair
 * ({@link dev.grove.node.feature.Feature}) and what a feature is built from
 * ({@link dev.grove.node.feature.NodeServices}). A feature's own settings are handed to its factory by
 * {@code dev.grove.node.Features}, so no feature depends on the node's whole configuration.
 */
package dev.grove.node.feature;
