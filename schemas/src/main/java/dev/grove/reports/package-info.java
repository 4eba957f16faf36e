/**
 * Anonymous benefit reports, the parts both ends share: one-report tokens (an RFC 9474 blind signature over a prepared
 * message, {@link dev.grove.reports.ReportTokens}), Warner's randomized response for the yes/no answer and the estimate a
 * node corrects for it. Pure Java, compiled for the browser too; the node's routes and storage are in
 * {@code dev.grove.node.reports}.
 */
package dev.grove.reports;
