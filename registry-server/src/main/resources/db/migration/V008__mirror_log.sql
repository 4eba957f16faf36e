-- A mirror keeps and serves the log of each peer it follows (docs/transparency-log.md, "A mirror serves the origin's
-- log"): the hash tiles of the entries it accepted, computed from their leaf hashes in the transaction that accepts them,
-- and the latest verified checkpoint whose every entry it accepted.

-- The peer's hash tiles, as the peer serves them under /log/tile/: every full tile, and for each rightmost tile only the
-- widest partial one (a narrower partial tile is a prefix of it, served by cutting). Full tiles never change.
CREATE TABLE mirror_tiles (
    origin text   NOT NULL,
    level  int    NOT NULL CHECK (level BETWEEN 0 AND 63),
    idx    bigint NOT NULL CHECK (idx >= 0),
    width  int    NOT NULL CHECK (width BETWEEN 1 AND 256),
    hashes bytea  NOT NULL CHECK (octet_length(hashes) = 32 * width),
    PRIMARY KEY (origin, level, idx, width)
);

CREATE FUNCTION refuse_mirror_tile_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' OR OLD.width = 256 THEN
        RAISE EXCEPTION 'mirrored tiles are append-only (a narrower partial tile may be dropped): % refused', TG_OP
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN OLD;
END
$$;

CREATE TRIGGER mirror_tiles_append_only
    BEFORE UPDATE OR DELETE ON mirror_tiles
    FOR EACH ROW EXECUTE FUNCTION refuse_mirror_tile_rewrite();

-- tiles_size: the tree size the stored tiles cover, moved with next_entry; NULL for a peer whose entries were accepted
-- before this migration (its tiles were not kept, so its log is not served). log_size and log_note: the latest verified
-- checkpoint (as signed by the peer) whose entries are all accepted and whose root the stored tiles reproduce; what the
-- mirror serves as the peer's checkpoint.
ALTER TABLE peers ADD COLUMN tiles_size bigint DEFAULT 0 CHECK (tiles_size >= 0),
                  ADD COLUMN log_size   bigint CHECK (log_size >= 0),
                  ADD COLUMN log_note   text,
                  ADD CHECK ((log_size IS NULL) = (log_note IS NULL));
UPDATE peers SET tiles_size = NULL WHERE next_entry > 0;

-- The index of a mirrored version's package/v1 entry in its origin's log (NULL for this node's own versions, whose
-- entry is log_index in this node's log, and for versions mirrored before this migration).
ALTER TABLE package_versions ADD COLUMN origin_log_index bigint CHECK (origin_log_index >= 0);
