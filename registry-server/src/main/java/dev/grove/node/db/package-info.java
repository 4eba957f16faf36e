/**
 * The node's PostgreSQL: the embedded server ({@code grove serve} without {@code --pg-url}; its own output goes to
 * {@code <data>/postgres.log}), the numbered SQL migrations applied at start, and telling an outage (which passes) from a
 * failed statement. SQL of a feature lives with that feature, not here.
 */
package dev.grove.node.db;
