package dev.grove.node.reports;

import dev.grove.reports.Estimate;
import dev.grove.reports.RandomizedResponse;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The public document of a version's reports ({@code GET /v1/reports/{digest}}). Below {@code minimum} reports it holds
 * the count and the minimum only; each breakdown cell (a runtime, a device class) is held to the same minimum, and so are
 * the rating and the latency (which are not randomized) within a cell.
 */
final class ReportSummary {

    private ReportSummary() {
    }

    static JsonObject of(String digest, List<ReportStore.Cell> cells, int minimum, RandomizedResponse rr) {
        ReportStore.Cell all = cells.stream().filter(c -> c.dimension().equals("all")).findFirst()
                .orElse(new ReportStore.Cell("all", "", 0, 0, 0, 0, 0, 0, 0, 0));
        JsonObject doc = new JsonObject().put("package", digest).put("count", all.count()).put("minimum", minimum);
        if (all.count() < minimum) {
            return doc.put("shown", false);
        }
        doc.put("shown", true).put("epsilon", round(rr.epsilon(), 4)).put("keepProbability", round(rr.keepProbability(), 4));
        figures(doc, all, minimum, rr);
        doc.put("byRuntime", breakdown(cells, "runtime", ReportRequest.RUNTIMES, minimum, rr));
        doc.put("byDevice", breakdown(cells, "device", ReportRequest.DEVICES, minimum, rr));
        return doc;
    }

    private static JsonObject breakdown(List<ReportStore.Cell> cells, String dimension, java.util.Set<String> values,
                                        int minimum, RandomizedResponse rr) {
        JsonObject out = new JsonObject();
        values.stream().sorted().forEach(value -> {
            ReportStore.Cell cell = cells.stream().filter(c -> c.dimension().equals(dimension) && c.value().equals(value))
                    .findFirst().orElse(new ReportStore.Cell(dimension, value, 0, 0, 0, 0, 0, 0, 0, 0));
            JsonObject json = new JsonObject().put("count", cell.count());
            if (cell.count() < minimum) {
                json.put("shown", false);
            } else {
                json.put("shown", true);
                figures(json, cell, minimum, rr);
            }
            out.put(value, json);
        });
        return out;
    }

    private static void figures(JsonObject json, ReportStore.Cell cell, int minimum, RandomizedResponse rr) {
        Estimate helped = rr.estimate95(cell.yes(), cell.count());
        json.put("helped", new JsonObject().put("estimate", round(helped.value(), 4)).put("low", round(helped.low(), 4))
                .put("high", round(helped.high(), 4)).put("confidence", helped.confidence()));
        if (cell.ratingCount() >= minimum) {
            double half = RandomizedResponse.Z95 * Math.sqrt(cell.ratingVariance() / cell.ratingCount());
            json.put("rating", new JsonObject().put("count", cell.ratingCount())
                    .put("mean", round(cell.ratingMean(), 2))
                    .put("low", round(Math.max(1, cell.ratingMean() - half), 2))
                    .put("high", round(Math.min(5, cell.ratingMean() + half), 2))
                    .put("confidence", 0.95));
        }
        if (cell.latencyCount() >= minimum) {
            json.put("latencyMs", new JsonObject().put("count", cell.latencyCount())
                    .put("median", Math.round(cell.latencyMedian())).put("p90", Math.round(cell.latencyP90())));
        }
    }

    private static double round(double x, int places) {
        double scale = Math.pow(10, places);
        return Math.round(x * scale) / scale;
    }
}
