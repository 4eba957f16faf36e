-- Whether this node re-ran a package's deterministic lineage operator (quantize, merge, prune) and got the same weights.
-- NULL: the operator is not one a node re-runs. false: it could not be checked here (reason says why, e.g. a parent
-- that is not on this node). true: re-run on the parents' weights, every tensor identical. A claim that does not
-- reproduce is refused at publish, so it never gets a row. Not part of the signed content, so the immutability trigger
-- allows setting it.
ALTER TABLE package_versions
    ADD COLUMN lineage_reproduced boolean,
    ADD COLUMN lineage_reason     text;
