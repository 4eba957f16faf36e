package dev.grove.node.reports;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import dev.grove.node.problem.ReportRefused;
import java.util.EnumMap;
import java.util.Map;

/**
 * The reports' meters: {@code grove_reports_accepted_total}, {@code grove_reports_refused_total{reason}},
 * {@code grove_report_tokens_issued_total} and {@code grove_report_tokens_rate_limited_total}. Counts only: no label
 * says anything about a sender or a package.
 */
final class ReportMetrics {

    private final Counter accepted;
    private final Map<ReportRefused.Reason, Counter> refused = new EnumMap<>(ReportRefused.Reason.class);
    private final Counter issued;
    private final Counter rateLimited;

    ReportMetrics(MeterRegistry registry) {
        accepted = Counter.builder("grove.reports.accepted").description("Anonymous reports stored").register(registry);
        // reasons that share a label (bad-token) share their counter: the registry gives back the one registered
        for (ReportRefused.Reason r : ReportRefused.Reason.values()) {
            refused.put(r, Counter.builder("grove.reports.refused").description("Anonymous reports refused")
                    .tag("reason", r.label()).register(registry));
        }
        issued = Counter.builder("grove.report.tokens.issued").description("Report tokens blind-signed")
                .register(registry);
        rateLimited = Counter.builder("grove.report.tokens.rate.limited")
                .description("Report token requests refused by the issuance limit").register(registry);
    }

    void accepted() {
        accepted.increment();
    }

    void refused(ReportRefused.Reason reason) {
        refused.get(reason).increment();
    }

    void issued() {
        issued.increment();
    }

    void rateLimited() {
        rateLimited.increment();
    }
}
