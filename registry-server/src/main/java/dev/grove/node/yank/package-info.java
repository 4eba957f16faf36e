/**
 * Yanking a version: {@code POST} of a namespace-signed yank statement, appended to the node's log
 * ({@link dev.grove.node.yank.YankRoutes}).
 */
package dev.grove.node.yank;
