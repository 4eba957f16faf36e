-- Namespaces, their keysets, package versions, artifacts and lineage edges.
-- Published versions are immutable: only the yank columns may change, and nothing is ever deleted.
-- `origin` is '' for what was published on this node, and the origin log's name for what a mirror copied from a peer:
-- namespaces and versions are scoped by origin, digests are global.

CREATE TABLE namespaces (
    origin          text        NOT NULL DEFAULT '',
    name            text        NOT NULL,
    keyset_sequence bigint      NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (origin, name)
);

-- The current keyset of each namespace.
CREATE TABLE namespace_keys (
    origin     text  NOT NULL DEFAULT '',
    namespace  text  NOT NULL,
    keyid      text  NOT NULL,
    public_key bytea NOT NULL,
    PRIMARY KEY (origin, namespace, keyid),
    FOREIGN KEY (origin, namespace) REFERENCES namespaces (origin, name)
);

-- Every keyset a namespace has had. Sequence 1 is the binding made by the first publish (no envelope: trust on first
-- use); later sequences carry the envelope signed by the previous keyset.
CREATE TABLE keyset_changes (
    origin     text        NOT NULL DEFAULT '',
    namespace  text        NOT NULL,
    sequence   bigint      NOT NULL,
    keys       jsonb       NOT NULL,
    envelope   text,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (origin, namespace, sequence),
    FOREIGN KEY (origin, namespace) REFERENCES namespaces (origin, name)
);

CREATE TABLE package_versions (
    id                  bigserial PRIMARY KEY,
    origin              text        NOT NULL DEFAULT '',
    namespace           text        NOT NULL,
    name                text        NOT NULL,
    version             text        NOT NULL,
    major               bigint      NOT NULL,
    minor               bigint      NOT NULL,
    patch               bigint      NOT NULL,
    prerelease          boolean     NOT NULL,
    digest              text        NOT NULL UNIQUE,
    contract_envelope   text        NOT NULL,
    lineage_envelope    text        NOT NULL,
    evaluation_envelope text        NOT NULL,
    signer_keys         jsonb       NOT NULL,
    summary             text        NOT NULL,
    task                text        NOT NULL,
    license             text        NOT NULL,
    tags                text[]      NOT NULL,
    parameters          bigint      NOT NULL,
    size_bytes          bigint      NOT NULL,
    operator            text        NOT NULL,
    search              tsvector    NOT NULL,
    yanked              boolean     NOT NULL DEFAULT false,
    yank_reason         text,
    yank_envelope       text,
    published_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (origin, namespace, name, version),
    FOREIGN KEY (origin, namespace) REFERENCES namespaces (origin, name)
);

CREATE INDEX package_versions_search ON package_versions USING gin (search);
CREATE INDEX package_versions_package ON package_versions (origin, namespace, name, major, minor, patch);
CREATE INDEX package_versions_task ON package_versions (task);
CREATE INDEX package_versions_license ON package_versions (license);

CREATE TABLE version_artifacts (
    version_id bigint NOT NULL REFERENCES package_versions (id),
    path       text   NOT NULL,
    media_type text   NOT NULL,
    size       bigint NOT NULL,
    digest     text   NOT NULL,
    PRIMARY KEY (version_id, path)
);

-- A child cites each parent by digest; the parent may live on another node and need not be known here.
CREATE TABLE lineage_edges (
    child_digest  text NOT NULL REFERENCES package_versions (digest),
    parent_digest text NOT NULL,
    parent_origin text,
    parent_ref    text,
    operator      text NOT NULL,
    PRIMARY KEY (child_digest, parent_digest)
);

CREATE INDEX lineage_edges_parent ON lineage_edges (parent_digest);

-- Defence in depth for immutability: whatever the application does, signed content never changes once stored.
CREATE FUNCTION refuse_version_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'published versions cannot be deleted' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF (NEW.origin, NEW.namespace, NEW.name, NEW.version, NEW.digest, NEW.contract_envelope, NEW.lineage_envelope,
        NEW.evaluation_envelope)
       IS DISTINCT FROM
       (OLD.origin, OLD.namespace, OLD.name, OLD.version, OLD.digest, OLD.contract_envelope, OLD.lineage_envelope,
        OLD.evaluation_envelope) THEN
        RAISE EXCEPTION 'published versions are immutable' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF OLD.yanked AND NOT NEW.yanked THEN
        RAISE EXCEPTION 'a yank cannot be undone' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER package_versions_immutable
    BEFORE UPDATE OR DELETE ON package_versions
    FOR EACH ROW EXECUTE FUNCTION refuse_version_rewrite();
