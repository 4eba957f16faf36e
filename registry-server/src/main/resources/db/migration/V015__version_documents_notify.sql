-- Nodes keep the version documents they rendered in memory and learn that the counter of V009 moved from a
-- notification instead of asking for it on every read: each bump sends the new count on the channel
-- grove_version_documents. PostgreSQL delivers a notification only once its transaction committed, in commit order
-- (the counter's row lock orders the bumps the same way), so a node that listens knows the latest count within the
-- delivery delay; see RenderedDocuments for what a node does while it is not listening.
CREATE OR REPLACE FUNCTION bump_version_documents_generation() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bumped bigint;
BEGIN
    UPDATE version_documents_generation SET generation = generation + 1 RETURNING generation INTO bumped;
    PERFORM pg_notify('grove_version_documents', bumped::text);
    RETURN NULL;
END
$$;
