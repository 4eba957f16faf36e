package dev.grove.node.reports;

import dev.grove.node.http.ProblemException;

/** Why a report was refused: the {@code reason} member of its problem and the label of its counter. */
enum Refusal {
    MALFORMED("malformed"),
    UNKNOWN_KEY("unknown-key"),
    BAD_TOKEN("bad-token"),
    UNKNOWN_PACKAGE("unknown-package"),
    SPENT("spent");

    final String label;

    Refusal(String label) {
        this.label = label;
    }

    ProblemException problem(ProblemException e) {
        return e.with("reason", label);
    }
}
