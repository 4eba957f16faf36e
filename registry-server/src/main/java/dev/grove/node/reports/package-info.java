/**
 * Anonymous usage reports: blind-signed token issuance with its limits and issuer key, the report store and the
 * summaries (shown only above the node's minimum, {@link dev.grove.node.reports.ReportSettings}) and their routes.
 */
package dev.grove.node.reports;
