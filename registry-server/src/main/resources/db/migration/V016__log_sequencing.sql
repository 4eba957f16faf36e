-- Publishes no longer serialise on one lock (docs/transparency-log.md, "Appending" and "Sequencing"). A statement's
-- transaction stores its log entry unsequenced: an id from a sequence, the bytes and the leaf hash, no index, and no lock
-- shared with other writers. The sequencer (LogSequencer, one process at a time under an advisory lock) then gives the
-- committed unsequenced entries the next indices in one statement, dense and in the order it finds them.

-- Existing entries keep their index; their ids follow it (the append-only trigger is replaced below).
DROP TRIGGER log_entries_append_only ON log_entries;
ALTER TABLE log_entries ADD COLUMN id bigint;
UPDATE log_entries SET id = idx + 1;
CREATE SEQUENCE log_entries_id_seq OWNED BY log_entries.id;
SELECT setval('log_entries_id_seq', coalesce((SELECT max(id) FROM log_entries), 0) + 1, false);
ALTER TABLE log_entries ALTER COLUMN id SET DEFAULT nextval('log_entries_id_seq'),
                        ALTER COLUMN id SET NOT NULL;
ALTER TABLE log_entries DROP CONSTRAINT log_entries_pkey;
ALTER TABLE log_entries ADD PRIMARY KEY (id);
ALTER TABLE log_entries ALTER COLUMN idx DROP NOT NULL;
ALTER TABLE log_entries ADD CONSTRAINT log_entries_idx_key UNIQUE (idx);
-- what the sequencer looks for
CREATE INDEX log_entries_unsequenced ON log_entries (id) WHERE idx IS NULL;

-- Entries stay append-only: the one change allowed is giving an unsequenced entry its index, once.
CREATE FUNCTION sequence_log_entry_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.idx IS NULL AND NEW.idx IS NOT NULL AND NEW.id = OLD.id AND NEW.data = OLD.data
            AND NEW.leaf_hash = OLD.leaf_hash AND NEW.created_at = OLD.created_at THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the transparency log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END
$$;
CREATE TRIGGER log_entries_append_only
    BEFORE UPDATE OR DELETE ON log_entries
    FOR EACH ROW EXECUTE FUNCTION sequence_log_entry_only();

-- Rows written since point at their entry by id (its index is log_entries.idx once sequenced); rows written before keep
-- log_index. A repaired version points at its new entry (log_index then NULL). The entry is written in the row's own
-- transaction, by the one appender (no foreign key, so that LogPublishBench can measure a publish without its entry).
ALTER TABLE package_versions ADD COLUMN log_entry bigint UNIQUE;
ALTER TABLE release_decisions ADD COLUMN log_entry bigint UNIQUE;
ALTER TABLE release_decisions ALTER COLUMN log_index DROP NOT NULL;
ALTER TABLE release_decisions ADD CONSTRAINT release_decisions_logged CHECK (log_index IS NOT NULL OR log_entry IS NOT NULL);
