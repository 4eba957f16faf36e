/**
 * Anonymous benefit reports on the node: issuing blind-signed tokens (rate-limited without keeping who asked), taking
 * reports (each spends one token; a report row holds no address, agent or exact time), and the public summaries, which
 * show a figure only from the minimum number of reports up. The protocol: docs/protocol.md, "Anonymous reports".
 */
package dev.grove.node.reports;
