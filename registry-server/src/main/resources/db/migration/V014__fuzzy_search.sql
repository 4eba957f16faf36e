-- Fuzzy search on package names (GET /v1/search answers a query that matches nothing with the names most similar to
-- it). It needs pg_trgm, a trusted extension since PostgreSQL 13, so a database owner may create it; where it cannot be
-- created (an older server, a role without CREATE on the database, a build without contrib) the node starts anyway and
-- searches as before: SearchRoutes checks once at start whether pg_trgm is present.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm is not available (%): search works without fuzzy name matches', SQLERRM;
END
$$;
