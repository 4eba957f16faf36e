-- Anonymous benefit reports. A row holds the answers and nothing about who sent them: no address, user agent, cookie,
-- token or exact time (the day is the finest time kept). "helped" is the randomized-response answer as sent (see
-- dev.grove.reports.RandomizedResponse); only aggregates over many rows say anything. No sequential id either: with the
-- access log's times, an arrival-ordered id would date each report to the millisecond.
CREATE TABLE reports (
    package_digest text     NOT NULL,
    helped         boolean  NOT NULL,
    rating         smallint CHECK (rating BETWEEN 1 AND 5),
    latency_ms     integer  CHECK (latency_ms >= 0),
    runtime        text     NOT NULL CHECK (runtime IN ('wasm', 'js', 'jvm')),
    device_class   text     NOT NULL CHECK (device_class IN ('phone', 'tablet', 'desktop', 'other')),
    received_day   date     NOT NULL
);
CREATE INDEX reports_by_package ON reports (package_digest);

-- One report per token: the SHA-256 of each spent token's message, and nothing else (not the day it was spent, so a
-- spent token cannot be joined to a report by time).
CREATE TABLE spent_tokens (
    token_hash bytea PRIMARY KEY
);
