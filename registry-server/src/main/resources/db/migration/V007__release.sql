-- Evidence-based release (docs/protocol.md, "Release"): each version's current release status, and every decision
-- that changed it. A version starts as an experiment; a decision (a DSSE statement signed by the deciding node and
-- appended to that node's log in the same transaction) promotes or demotes it. The status is not part of the signed
-- content, so the immutability trigger of package_versions lets it change; decisions themselves are append-only.
ALTER TABLE package_versions
    ADD COLUMN status text NOT NULL DEFAULT 'experiment' CHECK (status IN ('experiment', 'promoted'));

CREATE INDEX package_versions_promoted ON package_versions (origin, namespace, name, major, minor, patch)
    WHERE status = 'promoted';

-- One row per decision, by the node that made it: origin '' for this node's own decisions, the peer's log origin for a
-- decision a mirror copied from a peer's log. sequence counts the decisions about one version (1, 2, ...), so that a
-- replayed decision is refused and two evaluators cannot both record the same change. log_index is the entry's index
-- in the deciding node's log.
CREATE TABLE release_decisions (
    id             bigserial   PRIMARY KEY,
    origin         text        NOT NULL DEFAULT '',
    package_digest text        NOT NULL REFERENCES package_versions (digest),
    sequence       bigint      NOT NULL CHECK (sequence >= 1),
    status         text        NOT NULL CHECK (status IN ('experiment', 'promoted')),
    envelope       text        NOT NULL,
    log_index      bigint      NOT NULL CHECK (log_index >= 0),
    decided_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (origin, package_digest, sequence),
    UNIQUE (origin, log_index)
);

CREATE FUNCTION refuse_decision_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'release decisions are append-only: % refused', TG_OP USING ERRCODE = 'integrity_constraint_violation';
END
$$;

CREATE TRIGGER release_decisions_append_only
    BEFORE UPDATE OR DELETE ON release_decisions
    FOR EACH ROW EXECUTE FUNCTION refuse_decision_rewrite();

-- The latest evaluation of each version by this node's rule (conditions, reasons and the evidence as numbers), so that
-- reading a version shows which condition is missing without evaluating it again. Rewritten by every evaluation round
-- whose verdict or evidence changed; it records no decision (release_decisions does).
CREATE TABLE release_evaluations (
    package_digest text        PRIMARY KEY REFERENCES package_versions (digest),
    evaluation     jsonb       NOT NULL,
    evaluated_at   timestamptz NOT NULL DEFAULT now()
);
