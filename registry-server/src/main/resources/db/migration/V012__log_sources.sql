-- Several sources per followed log (docs/transparency-log.md, "Several sources per origin"): a log is followed through
-- its origin and any of its mirrors, whichever answers and verifies. What belongs to the log (its pinned key, standing,
-- verified checkpoint, next_entry, the mirrored tiles' size and the checkpoint served) moves from peers, which was one
-- row per URL, to mirrored_logs, one row per origin; peers keeps one row per source URL with what belongs to the
-- source: the log it serves, its current fault and when it was last contacted.

CREATE TABLE mirrored_logs (
    origin          text        PRIMARY KEY,
    log_key         text        NOT NULL,
    status          text        NOT NULL DEFAULT 'trusted' CHECK (status IN ('trusted', 'quarantined')),
    reason          text,
    checkpoint_size bigint      CHECK (checkpoint_size >= 0),
    checkpoint_root bytea       CHECK (octet_length(checkpoint_root) = 32),
    checkpoint_note text,
    next_entry      bigint      NOT NULL DEFAULT 0 CHECK (next_entry >= 0),
    tiles_size      bigint      DEFAULT 0 CHECK (tiles_size >= 0),
    log_size        bigint      CHECK (log_size >= 0),
    log_note        text,
    checked_at      timestamptz,
    grown_at        timestamptz,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (checkpoint_size IS NULL OR next_entry <= checkpoint_size),
    CHECK ((log_size IS NULL) = (log_note IS NULL))
);

INSERT INTO mirrored_logs (origin, log_key, status, reason, checkpoint_size, checkpoint_root, checkpoint_note,
                           next_entry, tiles_size, log_size, log_note, checked_at, grown_at, updated_at)
SELECT origin, log_key, status, reason, checkpoint_size, checkpoint_root, checkpoint_note, next_entry, tiles_size,
       log_size, log_note, checked_at, grown_at, updated_at
  FROM peers WHERE origin IS NOT NULL AND log_key IS NOT NULL;
-- a source that never pinned its log forgets it; its configured key, if any, pins it again on the next start
UPDATE peers SET origin = NULL WHERE origin IS NOT NULL AND origin NOT IN (SELECT origin FROM mirrored_logs);

DROP TRIGGER version_documents_mirrored_checkpoints ON peers;
CREATE CONSTRAINT TRIGGER version_documents_mirrored_checkpoints AFTER UPDATE ON mirrored_logs
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (OLD.log_note IS DISTINCT FROM NEW.log_note OR OLD.log_size IS DISTINCT FROM NEW.log_size)
    EXECUTE FUNCTION bump_version_documents_generation();

-- seen_size, seen_at: the size of the last checkpoint this source served that verified, and when; position: where the
-- source comes in its log's configured list (the order its sources are asked in), set at each start
ALTER TABLE peers DROP CONSTRAINT peers_origin_key,
                  DROP COLUMN log_key, DROP COLUMN status, DROP COLUMN reason, DROP COLUMN checkpoint_size,
                  DROP COLUMN checkpoint_root, DROP COLUMN checkpoint_note, DROP COLUMN next_entry,
                  DROP COLUMN tiles_size, DROP COLUMN log_size, DROP COLUMN log_note, DROP COLUMN checked_at,
                  DROP COLUMN grown_at, DROP COLUMN updated_at,
                  ADD COLUMN seen_size bigint CHECK (seen_size >= 0),
                  ADD COLUMN seen_at timestamptz,
                  ADD COLUMN position integer NOT NULL DEFAULT 0 CHECK (position >= 0),
                  ADD FOREIGN KEY (origin) REFERENCES mirrored_logs (origin);
CREATE INDEX peers_origin ON peers (origin);
