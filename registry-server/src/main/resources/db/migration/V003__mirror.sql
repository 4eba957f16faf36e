-- Mirroring (docs/transparency-log.md; issue "Federation"): the peers this node follows and what it caught them doing.
-- A peer's packages, namespaces and keysets are stored in the V001 tables under origin = the peer's log origin.

-- One row per followed node. log_key is the verifier key string pinned for the peer (configured, or trusted on first
-- use and never replaced). checkpoint_* is the last checkpoint verified: signed by log_key and consistent with every
-- checkpoint verified before it. next_entry is the first log entry not yet accepted; it moves in the same transaction as
-- the rows the entry adds, so a restart resumes exactly there.
CREATE TABLE peers (
    url             text        PRIMARY KEY,
    origin          text        UNIQUE,
    log_key         text,
    status          text        NOT NULL DEFAULT 'trusted' CHECK (status IN ('trusted', 'quarantined')),
    reason          text,
    checkpoint_size bigint      CHECK (checkpoint_size >= 0),
    checkpoint_root bytea       CHECK (octet_length(checkpoint_root) = 32),
    checkpoint_note text,
    next_entry      bigint      NOT NULL DEFAULT 0 CHECK (next_entry >= 0),
    checked_at      timestamptz,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (checkpoint_size IS NULL OR next_entry <= checkpoint_size)
);

-- What a peer was caught doing, with the statements that show it exactly as received (signed checkpoint notes, log
-- entries, proofs), oldest first. Append-only: evidence is never changed or removed.
CREATE TABLE peer_evidence (
    id         bigserial   PRIMARY KEY,
    peer_url   text        NOT NULL REFERENCES peers (url),
    origin     text,
    kind       text        NOT NULL,
    detail     text        NOT NULL,
    statements jsonb       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX peer_evidence_peer ON peer_evidence (peer_url);

CREATE FUNCTION refuse_evidence_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'peer evidence is append-only: % refused', TG_OP USING ERRCODE = 'integrity_constraint_violation';
END
$$;

CREATE TRIGGER peer_evidence_append_only
    BEFORE UPDATE OR DELETE ON peer_evidence
    FOR EACH ROW EXECUTE FUNCTION refuse_evidence_rewrite();
