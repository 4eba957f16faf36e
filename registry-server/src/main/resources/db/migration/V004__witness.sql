-- Witnessing (https://c2sp.org/tlog-witness), both roles of a node.
--
-- As a witness: the latest checkpoint this node cosigned for each log it witnesses, and the evidence of logs caught
-- lying (two signed checkpoints that cannot both be true). A row of witness_state only ever moves forward: it is read
-- FOR UPDATE and rewritten in the transaction that checks the request against it.
CREATE TABLE witness_state (
    origin     text        PRIMARY KEY,
    size       bigint      NOT NULL CHECK (size >= 0),
    root       bytea       NOT NULL CHECK (length(root) = 32),
    note       text        NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- kind: 'split-view' (same size, different root: proof that the log signed two histories) or 'bad-proof' (a checkpoint
-- with a consistency proof from the cosigned one that does not verify: a fork, or only a broken client, since the proof
-- itself is not signed). Both notes carry valid signatures by the log's key: only the log can have made them.
CREATE TABLE witness_evidence (
    id             bigserial   PRIMARY KEY,
    origin         text        NOT NULL,
    kind           text        NOT NULL,
    cosigned_note  text        NOT NULL,
    presented_note text        NOT NULL,
    proof          text        NOT NULL DEFAULT '',
    detail         text        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX witness_evidence_origin ON witness_evidence (origin);

-- As a log: the tree size each witness last cosigned for this node's log (the "old" size of the next request).
-- witness is the witness's verifier key string.
CREATE TABLE witness_requests (
    witness    text        PRIMARY KEY,
    size       bigint      NOT NULL CHECK (size >= 0),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- The cosignatures collected for this node's checkpoints, served after the log's own signature. line is the whole
-- signature line without its newline; it verified with the witness's configured key before it was stored.
CREATE TABLE checkpoint_cosignatures (
    size       bigint      NOT NULL,
    root       bytea       NOT NULL,
    witness    text        NOT NULL,
    line       text        NOT NULL,
    cosigned_at bigint     NOT NULL,
    PRIMARY KEY (size, root, witness)
);
