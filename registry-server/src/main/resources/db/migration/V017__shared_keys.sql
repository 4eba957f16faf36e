-- The public keys of the node's secret files (log key, report issuer key, witness key), recorded by the first process
-- that starts on this database. Every later process compares its own files with them and refuses to start when one
-- differs (docs/architecture.md, "Several processes, one node"): a process with a key of its own would sign checkpoints
-- the others cannot extend, refuse the report tokens they issued, or cosign under another witness key.
CREATE TABLE shared_keys (
    name        text        PRIMARY KEY,
    public_key  text        NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
);
