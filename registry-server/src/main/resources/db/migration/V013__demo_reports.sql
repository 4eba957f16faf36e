-- Reports that grove serve --demo sent to the node's own versions (docs/protocol.md, "Demo reports"). Only the node's
-- own process writes this table (no route does), so no client can label its reports as the demo's or hide visitors'
-- reports under the label. A row is a count per version and nothing about any report: the reports themselves are
-- ordinary rows of reports, sent through POST /v1/reports like a browser's.
CREATE TABLE demo_reports (
    package_digest text    PRIMARY KEY,
    reports        integer NOT NULL CHECK (reports >= 0)
);

-- the label is part of a version's release object, so the cached version documents change with it
CREATE CONSTRAINT TRIGGER version_documents_demo_reports AFTER INSERT OR UPDATE ON demo_reports
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_version_documents_generation();
