-- A version document (GET /v1/packages/{ns}/{name}/versions/{v}, /v1/digests/{d}, and a package's version list) is
-- rendered from several tables. A node keeps the documents it rendered and serves them again while this counter has
-- not moved; every write to what a document shows moves it. The triggers are deferred to commit, so the counter's
-- row lock is the last lock a writing transaction takes (it cannot close a lock-order cycle with the log's append
-- lock), and a reader sees the new count only once the write it stands for is visible too.
CREATE TABLE version_documents_generation (
    only_row   boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    generation bigint  NOT NULL
);
INSERT INTO version_documents_generation (generation) VALUES (0);

CREATE FUNCTION bump_version_documents_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE version_documents_generation SET generation = generation + 1;
    RETURN NULL;
END
$$;

-- versions published, mirrored, yanked, promoted or demoted, their lineage re-checked
CREATE CONSTRAINT TRIGGER version_documents_versions AFTER INSERT OR UPDATE ON package_versions
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_version_documents_generation();
-- the release object: evaluations and decisions
CREATE CONSTRAINT TRIGGER version_documents_evaluations AFTER INSERT OR UPDATE ON release_evaluations
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_version_documents_generation();
CREATE CONSTRAINT TRIGGER version_documents_decisions AFTER INSERT ON release_decisions
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_version_documents_generation();
-- the log proof: this node's checkpoints and their cosignatures, and the checkpoints of mirrored logs
CREATE CONSTRAINT TRIGGER version_documents_checkpoints AFTER INSERT ON log_checkpoints
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_version_documents_generation();
CREATE CONSTRAINT TRIGGER version_documents_cosignatures AFTER INSERT ON checkpoint_cosignatures
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_version_documents_generation();
CREATE CONSTRAINT TRIGGER version_documents_mirrored_checkpoints AFTER UPDATE ON peers
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (OLD.log_note IS DISTINCT FROM NEW.log_note OR OLD.log_size IS DISTINCT FROM NEW.log_size)
    EXECUTE FUNCTION bump_version_documents_generation();
