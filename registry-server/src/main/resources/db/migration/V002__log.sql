-- The node's transparency log (docs/transparency-log.md): entries appended in the same transaction as the statement they
-- record, the hash tiles the integrator writes, and the signed checkpoints. Entries and checkpoints are append-only.

-- One row per log entry. Indices are gapless: LogAppender assigns max(idx) + 1 under a transaction-scoped advisory lock,
-- so index n + 1 is only handed out after the transaction holding n committed or rolled back.
CREATE TABLE log_entries (
    idx        bigint      PRIMARY KEY CHECK (idx >= 0),
    data       bytea       NOT NULL CHECK (octet_length(data) BETWEEN 1 AND 65535),
    leaf_hash  bytea       NOT NULL CHECK (octet_length(leaf_hash) = 32),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- C2SP tlog-tiles hash tiles: every full tile (width 256) and each partial width a checkpoint was published at. A tile
-- of width w is a prefix of any wider tile with the same level and index.
CREATE TABLE log_tiles (
    level  int    NOT NULL CHECK (level BETWEEN 0 AND 63),
    idx    bigint NOT NULL CHECK (idx >= 0),
    width  int    NOT NULL CHECK (width BETWEEN 1 AND 256),
    hashes bytea  NOT NULL CHECK (octet_length(hashes) = 32 * width),
    PRIMARY KEY (level, idx, width)
);

-- Signed checkpoints (C2SP tlog-checkpoint in a signed note), one per published tree size.
CREATE TABLE log_checkpoints (
    size       bigint      PRIMARY KEY CHECK (size >= 0),
    root       bytea       NOT NULL CHECK (octet_length(root) = 32),
    note       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION refuse_log_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the transparency log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END
$$;

CREATE TRIGGER log_entries_append_only
    BEFORE UPDATE OR DELETE ON log_entries
    FOR EACH ROW EXECUTE FUNCTION refuse_log_rewrite();

CREATE TRIGGER log_tiles_append_only
    BEFORE UPDATE OR DELETE ON log_tiles
    FOR EACH ROW EXECUTE FUNCTION refuse_log_rewrite();

CREATE TRIGGER log_checkpoints_append_only
    BEFORE UPDATE OR DELETE ON log_checkpoints
    FOR EACH ROW EXECUTE FUNCTION refuse_log_rewrite();

-- The log entry that recorded each version published on this node (NULL for versions a mirror copied from a peer).
ALTER TABLE package_versions ADD COLUMN log_index bigint UNIQUE;
