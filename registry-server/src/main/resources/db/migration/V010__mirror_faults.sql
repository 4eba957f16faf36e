-- Faults and misbehaviour (docs/transparency-log.md, "Faults and misbehaviour"): a peer is quarantined only with
-- evidence anyone holding its log key can check offline; everything else is a fault, shown on the peer and retried.

-- contacted_at: the end of the last round that read and verified everything it asked for. grown_at: when the last
-- verified checkpoint was new (its size is checkpoint_size). fault_*: the current fault, NULL while none: its kind and
-- reason (the latest), since when that kind of fault lasts, the failed rounds in a row, and when the next round runs.
ALTER TABLE peers ADD COLUMN contacted_at   timestamptz,
                  ADD COLUMN grown_at       timestamptz,
                  ADD COLUMN fault_kind     text,
                  ADD COLUMN fault_reason   text,
                  ADD COLUMN fault_since    timestamptz,
                  ADD COLUMN fault_attempts integer NOT NULL DEFAULT 0 CHECK (fault_attempts >= 0),
                  ADD COLUMN next_retry     timestamptz,
                  ADD CHECK ((fault_kind IS NULL) = (fault_reason IS NULL));

-- The evidence in its self-verifying form (grove.evidence/v1: checkpoints, entries with inclusion proofs, consistency
-- hashes). NULL for evidence stored before this migration, which keeps its statements only.
ALTER TABLE peer_evidence ADD COLUMN document jsonb;

-- The index of a mirrored keyset change's keyset/v1 entry in its origin's log: where the keyset in force starts, for
-- evidence against a later entry of that namespace. NULL for this node's own namespaces and older mirrored changes.
ALTER TABLE keyset_changes ADD COLUMN log_index bigint CHECK (log_index >= 0);
