-- A mirror serves its origin's log whole (docs/transparency-log.md, "A mirror serves the origin's log"): besides the
-- hash tiles (V008), the exact bytes of every entry it accepted, so that it serves the origin's entry bundles byte for
-- byte (a bundle is its entries, each with a uint16 length, in order: rebuilt, never stored as such).

-- One row per accepted entry, written in the transaction that moves the peer's next_entry past it. Entries accepted
-- before this migration have no row: their bundles are not served (404).
CREATE TABLE mirror_entries (
    origin text   NOT NULL,
    idx    bigint NOT NULL CHECK (idx >= 0),
    entry  bytea  NOT NULL CHECK (octet_length(entry) <= 65535),
    PRIMARY KEY (origin, idx)
);

CREATE FUNCTION refuse_mirror_entry_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'mirrored entries are append-only: % refused', TG_OP USING ERRCODE = 'integrity_constraint_violation';
END
$$;

CREATE TRIGGER mirror_entries_append_only
    BEFORE UPDATE OR DELETE ON mirror_entries
    FOR EACH ROW EXECUTE FUNCTION refuse_mirror_entry_rewrite();
